package io.tessera.compat.failover;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Real node PROCESSES driven by {@code scripts/cluster.sh} (start, kill -9, restart, stop, rolling restart,
 * add, remove), on free ports, with their configuration and data under a test's temp dir. Every script
 * call is bounded; {@link #close()} stops whatever is still running, also after a failed test.
 */
public final class ProcessCluster implements AutoCloseable {
    /** One node's ports, as written into {@code cluster.members}. */
    public record Member(String id, String host, int control, int transaction, int raft) {
        Member(String id, int control, int transaction, int raft) {
            this(id, "127.0.0.1", control, transaction, raft);
        }

        public String controlAddress() {
            return host + ":" + control;
        }

        public String transactionAddress() {
            return host + ":" + transaction;
        }
    }

    /**
     * What a node's {@code /health} says; {@code leader} is empty while it knows none; the connection
     * counts are the Seata client channels (TM, RM) registered on that node.
     */
    public record Health(String nodeId, String role, long term, Optional<String> leader, long lastAppliedIndex,
            int tmConnections, int rmConnections) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Per script call; {@code -Dfailover.script-timeout-seconds} raises it on a machine loaded far beyond its cores. */
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(Long.getLong("failover.script-timeout-seconds", 90));

    private final Path repo;
    private final String logsName;
    private final Path confDir;
    private final Path dataRoot;
    private final Path scriptLog;
    private final Path dir;
    /** A private copy: a rebuild of the tree while the test runs must not pull classes from under the nodes. */
    private final Path serverJar;
    private final Map<String, Member> members = new TreeMap<>();
    /** Every node ever started here (members, removed ones too): close() kills what the script could not stop. */
    private final java.util.Set<String> everyNode = new java.util.TreeSet<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    private boolean started;
    private final boolean apart;

    ProcessCluster(Path dir, int size) throws IOException {
        this(dir, size, "failover-logs");
    }

    /** @param logsName where the node logs are kept after close: target/{@code logsName} */
    ProcessCluster(Path dir, int size, String logsName) throws IOException {
        this(dir, size, logsName, false);
    }

    /**
     * @param apart each node on its own loopback address (127.0.0.i, bound there) and running as its own
     *     user id ({@link #nodeUid}), so that netfilter rules can single out the traffic one node sends
     *     to another: every loopback connection leaves from 127.0.0.1 whatever it targets, so only the
     *     sending process's owner tells the nodes apart (iptables {@code -m owner --uid-owner}).
     */
    public ProcessCluster(Path dir, int size, String logsName, boolean apart) throws IOException {
        this.logsName = logsName;
        this.apart = apart;
        this.repo = Checkout.root();
        this.confDir = Files.createDirectories(dir.resolve("conf"));
        this.dataRoot = Files.createDirectories(dir.resolve("data"));
        this.scriptLog = dir.resolve("cluster-sh.log");
        this.dir = dir;
        this.serverJar = Files.copy(Checkout.serverJar(repo), dir.resolve("server.jar"));
        for (int i = 1; i <= size; i++) {
            members.put("node" + i, new Member("node" + i, apart ? "127.0.0." + i : "127.0.0.1", Checkout.freePort(),
                    Checkout.freePort(), Checkout.freePort()));
        }
        everyNode.addAll(members.keySet());
        String memberList = members.values().stream()
                .map(m -> m.id() + "@" + m.host() + ":" + m.control() + ":" + m.transaction() + ":" + m.raft())
                .collect(Collectors.joining(","));
        List<String> timings = shippedTimings(repo);
        for (Member m : members.values()) {
            // The shipped cluster-conf timings; only ports and directories differ.
            List<String> lines = new ArrayList<>(List.of(
                    "node.id=" + m.id(),
                    "cluster.members=" + memberList,
                    "raft.group=default",
                    "data.dir=" + dataRoot.resolve(m.id())));
            if (apart) {
                lines.add("bind.host=" + m.host());
            }
            lines.addAll(timings);
            lines.add("");
            Files.writeString(confDir.resolve(m.id() + ".properties"), String.join("\n", lines));
        }
        if (apart) {
            NodeUsers.prepare(dir);
        }
    }

    /** The user id node {@code nodeId} runs as when the cluster was made {@code apart}: 20000 + its number. */
    public static int nodeUid(String nodeId) {
        return NodeUsers.uid(nodeId);
    }

    /** The node's process id from its pid file, if it is running. */
    public java.util.OptionalLong pid(String node) {
        try {
            Path f = dataRoot.resolve(node).resolve("node.pid");
            if (!Files.isRegularFile(f)) {
                return java.util.OptionalLong.empty();
            }
            long pid = Long.parseLong(Files.readString(f).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent()
                    ? java.util.OptionalLong.of(pid) : java.util.OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            return java.util.OptionalLong.empty();
        }
    }

    /** Keys of cluster-conf/node1.properties that are timings (not identity, ports or paths). */
    private static final List<String> TIMING_KEYS = List.of("raft.election-timeout-ms",
            "raft.dead-leader-election-timeout-ms",
            "raft.snapshot-interval-seconds", "request.timeout-ms", "rm.request-timeout-ms");

    /**
     * The timings shipped in cluster-conf (so the test measures what users run). An evaluation run may
     * override one with {@code -Dfailover.<key>=value}, e.g. {@code -Dfailover.raft.election-timeout-ms=500}.
     */
    private static List<String> shippedTimings(Path repo) throws IOException {
        java.util.Properties shipped = new java.util.Properties();
        try (var in = Files.newBufferedReader(repo.resolve("cluster-conf/node1.properties"))) {
            shipped.load(in);
        }
        List<String> lines = new ArrayList<>();
        for (String key : TIMING_KEYS) {
            String value = System.getProperty("failover." + key, shipped.getProperty(key));
            if (value != null) {
                lines.add(key + "=" + value.trim());
            }
        }
        System.out.println("FAILOVER node timings " + lines);
        return lines;
    }

    /**
     * A credential scripts/cluster.sh generated at the first start ({@code <data-root>/credentials.env}),
     * e.g. {@code TESSERA_REGISTRY_PASSWORD}: what an operator hands to the Seata clients.
     */
    public String credential(String name) {
        try {
            return Files.readAllLines(dataRoot.resolve("credentials.env")).stream()
                    .filter(l -> l.startsWith(name + "=")).map(l -> l.substring(name.length() + 1)).findFirst()
                    .orElseThrow(() -> new IllegalStateException(name + " not in credentials.env"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Member> members() {
        return List.copyOf(members.values());
    }

    public Member member(String id) {
        return members.get(id);
    }

    /** Comma-separated control addresses: the client's {@code registry.raft.serverAddr}. */
    public String controlAddresses() {
        return members.values().stream().map(Member::controlAddress).collect(Collectors.joining(","));
    }

    /** Starts every node; the script returns once a leader is known. */
    public ProcessCluster start() {
        started = true;
        // one JVM start after another, each bounded by the script itself: on a loaded host each can take 30 s
        script(SCRIPT_TIMEOUT.multipliedBy(members.size()), "start");
        awaitOneLeaderAgreed();
        return this;
    }

    /** Instants (System.nanoTime) observed around one kill; {@code newLeaderNanos} is 0 if none was seen. */
    public record KillTiming(long unresponsiveNanos, long newLeaderNanos, String newLeader) {
    }

    /**
     * kill -9 through the script. A poller (every 10 ms, while the script runs) records when the victim's
     * control port first stopped answering - the script itself returns only once the process is reaped,
     * which can be well after the kill - and then when another node first reported itself LEADER.
     */
    public KillTiming kill(String node) {
        java.util.concurrent.atomic.AtomicReference<KillTiming> seen = new java.util.concurrent.atomic.AtomicReference<>();
        Thread poller = new Thread(() -> {
            long tick = TimeUnit.MILLISECONDS.toNanos(10);
            while (!Thread.currentThread().isInterrupted() && health(node).isPresent()) {
                java.util.concurrent.locks.LockSupport.parkNanos(tick);
            }
            long unresponsive = System.nanoTime();
            seen.set(new KillTiming(unresponsive, 0, null));
            long until = unresponsive + TimeUnit.SECONDS.toNanos(20);
            while (!Thread.currentThread().isInterrupted() && System.nanoTime() < until) {
                for (String id : members.keySet()) {
                    if (!id.equals(node) && health(id).filter(h -> h.role().equals("LEADER")).isPresent()) {
                        seen.set(new KillTiming(unresponsive, System.nanoTime(), id));
                        return;
                    }
                }
                java.util.concurrent.locks.LockSupport.parkNanos(tick);
            }
        }, "failover-kill-poller");
        poller.setDaemon(true);
        poller.start();
        try {
            script("kill", node);
            poller.join(TimeUnit.SECONDS.toMillis(25));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            poller.interrupt();
        }
        KillTiming t = seen.get();
        return t == null ? new KillTiming(System.nanoTime(), 0, null) : t;
    }

    /** Starts one (killed) node again on its existing data directory. */
    public void restart(String node) {
        script("start", node);
    }

    /** {@code cluster.sh stop NODE}: a graceful stop (a leader hands leadership over first). */
    public void stop(String node) {
        script("stop", node);
    }

    /** {@code cluster.sh restart}: every node, one at a time, each caught up before the next. */
    void rollingRestart() {
        // Three restarts in a row, each a JVM start and a catch-up: more than one script call is allowed.
        script(SCRIPT_TIMEOUT.multipliedBy(members.size()), "restart");
    }

    /**
     * {@code cluster.sh add NODE host:ports}: a fresh node on free ports joins and becomes a voter; the script
     * returns once it caught up and the cluster serves.
     */
    Member add(String node) throws IOException {
        Member m = new Member(node, Checkout.freePort(), Checkout.freePort(), Checkout.freePort());
        everyNode.add(node);
        // A JVM start, the catch-up of a whole log and the wait until the cluster serves: two script budgets
        // (a loaded 2-core machine spent 37 s on the JVM start and 28 s on the catch-up alone).
        script(SCRIPT_TIMEOUT.multipliedBy(2), "add", node, "127.0.0.1:" + m.control() + ":" + m.transaction() + ":" + m.raft());
        members.put(node, m);
        return m;
    }

    /**
     * {@code cluster.sh replace OLD NEW host:ports}: NEW (fresh, on free ports) is added, then OLD removed
     * ({@code tessera-admin member replace}); OLD's config and data are set aside.
     */
    Member replace(String old, String node) throws IOException {
        Member m = new Member(node, Checkout.freePort(), Checkout.freePort(), Checkout.freePort());
        everyNode.add(node);
        script(SCRIPT_TIMEOUT.multipliedBy(2), "replace", old, node, "127.0.0.1:" + m.control() + ":" + m.transaction() + ":" + m.raft());
        members.remove(old);
        members.put(node, m);
        return m;
    }

    /** {@code cluster.sh transfer-leader NODE}: leadership handed to NODE. */
    void transferLeader(String node) {
        script("transfer-leader", node);
    }

    /** {@code cluster.sh remove NODE}: out of the configuration, stopped, its data set aside. */
    void remove(String node) {
        script("remove", node);
        members.remove(node);
    }

    /** Deletes a (killed) node's data directory: a machine whose disk is lost. */
    void wipe(String node) throws IOException {
        Path data = dataRoot.resolve(node);
        try (var walk = Files.walk(data)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Takes {@code node} out of this object's member list without the script (it was killed for good). */
    void forget(String node) {
        members.remove(node);
    }

    /** One replica's applied index and state digest (GET /admin/v1/state-digest, admin role). */
    public record Digest(String nodeId, Long appliedIndex, String digest) {
    }

    public Optional<Digest> digest(String node) {
        try {
            String login = JSON.writeValueAsString(Map.of("username", credential("TESSERA_ADMIN_USERNAME"),
                    "password", credential("TESSERA_ADMIN_PASSWORD")));
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://"
                    + members.get(node).controlAddress() + "/api/v1/auth/login")).timeout(Duration.ofSeconds(3))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(login)).build(),
                    HttpResponse.BodyHandlers.ofString());
            String token = JSON.readTree(r.body()).path("data").asText();
            HttpResponse<String> d = http.send(HttpRequest.newBuilder(URI.create("http://"
                    + members.get(node).controlAddress() + "/admin/v1/state-digest")).timeout(Duration.ofSeconds(30))
                    .header("Authorization", token).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (d.statusCode() != 200) {
                return Optional.empty();
            }
            JsonNode j = JSON.readTree(d.body());
            return Optional.of(new Digest(j.get("nodeId").asText(),
                    j.get("appliedIndex").isNull() ? null : j.get("appliedIndex").asLong(), j.get("digest").asText()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Waits until every member holds the same state: same applied index and the same digest (call with the
     * load stopped; the leader's periodic work still appends a few entries, so it is re-read until equal).
     */
    public void awaitReplicasConverged() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            List<Optional<Digest>> all = members.keySet().stream().map(this::digest).toList();
            return all.stream().allMatch(Optional::isPresent)
                    && all.stream().map(d -> d.get().appliedIndex() + ":" + d.get().digest()).distinct().count() == 1
                    && all.get(0).get().appliedIndex() != null;
        });
    }

    /** The leader every live node agrees on, waiting for one (bounded). */
    public String awaitOneLeaderAgreed() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(this::agreedLeader, Optional::isPresent).orElseThrow();
    }

    /** A leader other than {@code old}, as soon as any live node reports it as LEADER. */
    public String awaitNewLeader(String old) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> members.keySet().stream().filter(id -> !id.equals(old))
                        .filter(id -> health(id).filter(h -> h.role().equals("LEADER")).isPresent())
                        .findFirst(), Optional::isPresent).orElseThrow();
    }

    private Optional<String> agreedLeader() {
        List<Health> live = liveHealth();
        if (live.isEmpty() || live.stream().map(Health::leader).distinct().count() != 1) {
            return Optional.empty();
        }
        Optional<String> leader = live.get(0).leader();
        boolean leaderSaysSo = leader.flatMap(this::health).filter(h -> h.role().equals("LEADER")).isPresent();
        return leaderSaysSo ? leader : Optional.empty();
    }

    /** Waits until {@code node} follows {@code leader} and has applied what the leader had applied when asked. */
    public void awaitCaughtUp(String node, String leader) {
        long target = await().atMost(Duration.ofSeconds(10)).until(() -> health(leader), Optional::isPresent)
                .orElseThrow().lastAppliedIndex();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> health(node).filter(h -> h.role().equals("FOLLOWER")
                        && h.leader().equals(Optional.of(leader)) && h.lastAppliedIndex() >= target).isPresent());
    }

    /**
     * Waits until the Seata client has TM and RM channels on {@code node} again. The client connects to a
     * (re)started node only from its reconnect timer (first run 60 s after the client started, then every
     * 10 s), and the same timer run refreshes the list of followers it watches for metadata changes.
     */
    public void awaitClientConnected(String node) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                .until(() -> health(node).filter(h -> h.tmConnections() > 0 && h.rmConnections() > 0).isPresent());
    }

    public List<Health> liveHealth() {
        List<Health> all = new ArrayList<>();
        for (String id : members.keySet()) {
            health(id).ifPresent(all::add);
        }
        return all;
    }

    public Optional<Health> health(String node) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                    URI.create("http://" + members.get(node).controlAddress() + "/health"))
                    .timeout(Duration.ofSeconds(1)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return Optional.empty();
            }
            JsonNode j = JSON.readTree(r.body());
            JsonNode leader = j.get("leader");
            return Optional.of(new Health(j.get("nodeId").asText(), j.get("role").asText(), j.get("term").asLong(),
                    leader == null || leader.isNull() ? Optional.empty() : Optional.of(leader.asText()),
                    j.get("lastAppliedIndex").asLong(), j.path("tmConnections").asInt(), j.path("rmConnections").asInt()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Runs {@code scripts/cluster.sh args} against this cluster's conf and data; fails on a non-zero exit. */
    private void script(String... args) {
        script(SCRIPT_TIMEOUT, args);
    }

    private void script(Duration timeout, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(repo.resolve("scripts/cluster.sh").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(repo.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(scriptLog.toFile()));
        pb.environment().put("TESSERA_CONF_DIR", confDir.toString());
        pb.environment().put("TESSERA_DATA_ROOT", dataRoot.toString());
        pb.environment().put("TESSERA_SERVER_JAR", serverJar.toString());
        // cluster.sh waits 30 s by default for a node to start or catch up; under 16 client threads a
        // restarted node replaying its log took longer (17,007 entries behind at 30 s). Let each of its
        // waits use the harness's own budget per call instead.
        pb.environment().putIfAbsent("TESSERA_START_TIMEOUT", String.valueOf(SCRIPT_TIMEOUT.toSeconds()));
        // Four JVMs share two cores here: C1 only and the serial collector keep a restarting node's JIT
        // and GC bursts from starving the leader past its lease (it then steps down, a test artifact).
        if (apart) {
            NodeUsers.environment(dir, pb.environment());
        }
        pb.environment().put("TESSERA_JAVA_OPTS", "-Xms128m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
        try {
            Process p = pb.start();
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("cluster.sh " + String.join(" ", args) + " did not finish in "
                        + timeout + "; log:\n" + tail());
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("cluster.sh " + String.join(" ", args) + " exited " + p.exitValue()
                        + "; log:\n" + tail());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The script's last lines and each node's console.out tail (start-up failures land there). */
    private String tail() {
        StringBuilder b = new StringBuilder(tail(scriptLog, 20));
        for (String id : everyNode) {
            b.append("\n--- ").append(id).append(" console.out:\n").append(tail(dataRoot.resolve(id).resolve("console.out"), 15));
        }
        return b.toString();
    }

    private static String tail(Path file, int n) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        } catch (IOException e) {
            return "(none: " + e + ")";
        }
    }

    /** Node logs outlive the temp dir under target/{@code logsName} (the last run's), for diagnosis. */
    private void keepLogs() {
        Path keep = Path.of("target", logsName);
        try {
            Files.createDirectories(keep);
            for (String id : everyNode) {
                Path log = nodeLog(id);
                if (Files.isRegularFile(log)) {
                    Files.copy(log, keep.resolve(id + ".log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.copy(scriptLog, keep.resolve("cluster-sh.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            System.err.println("could not keep the node logs: " + e);
        }
    }

    /** Path of a node's log, for failure messages. */
    public Path nodeLog(String node) {
        return dataRoot.resolve(node).resolve("logs/node.log");
    }

    /**
     * Graceful stop of every node. If the script itself fails, the nodes it started are killed by the
     * pids they wrote, so no process outlives the test.
     */
    @Override
    public void close() {
        if (!started) {
            return;
        }
        try {
            script("stop");
            keepLogs();
        } catch (RuntimeException e) {
            for (String id : everyNode) {
                Path pidFile = dataRoot.resolve(id).resolve("node.pid");
                try {
                    if (Files.isRegularFile(pidFile)) {
                        long pid = Long.parseLong(Files.readString(pidFile).trim());
                        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                    }
                } catch (IOException | NumberFormatException ignored) {
                    // best effort: the script's own failure is reported below
                }
            }
            throw e;
        }
    }
}
