package io.tessera.compat.fuzz;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.compat.failover.Checkout;
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
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Three real node processes started by {@code scripts/cluster.sh} on free ports, with client authentication
 * on (a keys file with one access key), under a temp dir. Measured from outside: each node's pid comes from
 * its {@code node.pid}, so file descriptors and RSS are read from {@code /proc}.
 */
final class FuzzCluster implements AutoCloseable {
    /** One node's ports and pid. */
    record Node(String id, int control, int transaction, int raft) {
    }

    static final String APP = "fuzz-app";
    static final String GROUP = "fuzz-tx-group";
    static final String ACCESS_KEY = "fuzz-ak";
    static final String SECRET_KEY = "fuzz-secret-key-0123456789";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(300);
    private static final List<String> TIMING_KEYS = List.of("raft.election-timeout-ms",
            "raft.snapshot-interval-seconds", "request.timeout-ms", "rm.request-timeout-ms");

    private final Path repo;
    private final Path confDir;
    private final Path dataRoot;
    private final Path scriptLog;
    private final Path serverJar;
    private final List<Node> nodes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private boolean started;

    FuzzCluster(Path dir) throws IOException {
        this.repo = Checkout.root();
        this.confDir = Files.createDirectories(dir.resolve("conf"));
        this.dataRoot = Files.createDirectories(dir.resolve("data"));
        this.scriptLog = dir.resolve("cluster-sh.log");
        this.serverJar = Files.copy(Checkout.serverJar(repo), dir.resolve("server.jar"));
        Path keys = dir.resolve("client-keys");
        Files.writeString(keys, ACCESS_KEY + " = " + APP + ":" + SECRET_KEY + "\n");
        for (int i = 1; i <= 3; i++) {
            nodes.add(new Node("node" + i, Checkout.freePort(), Checkout.freePort(), Checkout.freePort()));
        }
        String members = nodes.stream()
                .map(n -> n.id() + "@127.0.0.1:" + n.control() + ":" + n.transaction() + ":" + n.raft())
                .collect(Collectors.joining(","));
        Properties shipped = new Properties();
        try (var in = Files.newBufferedReader(repo.resolve("cluster-conf/node1.properties"))) {
            shipped.load(in);
        }
        for (Node n : nodes) {
            List<String> lines = new ArrayList<>(List.of("node.id=" + n.id(), "cluster.members=" + members,
                    "raft.group=default", "bind.host=127.0.0.1", "data.dir=" + dataRoot.resolve(n.id()),
                    "client-auth.keys-file=" + keys));
            for (String key : TIMING_KEYS) {
                if (shipped.getProperty(key) != null) {
                    lines.add(key + "=" + shipped.getProperty(key).trim());
                }
            }
            lines.add("");
            Files.writeString(confDir.resolve(n.id() + ".properties"), String.join("\n", lines));
        }
    }

    FuzzCluster start() {
        started = true;
        try {
            script("start");
            awaitReady(Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            close(); // the caller never gets this object to close: no node may outlive the failed start
            throw e;
        }
        return this;
    }

    List<Node> nodes() {
        return List.copyOf(nodes);
    }

    String controlAddresses() {
        return nodes.stream().map(n -> "127.0.0.1:" + n.control()).collect(Collectors.joining(","));
    }

    long pid(Node n) {
        try {
            return Long.parseLong(Files.readString(dataRoot.resolve(n.id()).resolve("node.pid")).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean alive(Node n) {
        return ProcessHandle.of(pid(n)).map(ProcessHandle::isAlive).orElse(false);
    }

    Path nodeLog(Node n) {
        return dataRoot.resolve(n.id()).resolve("logs/node.log");
    }

    /** A credential scripts/cluster.sh generated ({@code credentials.env}). */
    String credential(String name) {
        try {
            return Files.readAllLines(dataRoot.resolve("credentials.env")).stream()
                    .filter(l -> l.startsWith(name + "=")).map(l -> l.substring(name.length() + 1)).findFirst()
                    .orElseThrow(() -> new IllegalStateException(name + " not in credentials.env"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A token of the client role (registry credentials) or the admin role, from {@code n}'s login route. */
    String login(Node n, boolean admin) {
        String user = credential(admin ? "TESSERA_ADMIN_USERNAME" : "TESSERA_REGISTRY_USERNAME");
        String password = credential(admin ? "TESSERA_ADMIN_PASSWORD" : "TESSERA_REGISTRY_PASSWORD");
        try {
            String body = JSON.writeValueAsString(Map.of("username", user, "password", password));
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(n, "/api/v1/auth/login"))
                    .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("login on " + n.id() + " answered " + r.statusCode() + " " + r.body());
            }
            return JSON.readTree(r.body()).path("data").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** HTTP status of GET {@code path} on {@code n}, or -1 when it does not answer in time. */
    int status(Node n, String path, String token, Duration timeout) {
        return get(n, path, token, timeout).map(HttpResponse::statusCode).orElse(-1);
    }

    Optional<HttpResponse<String>> get(Node n, String path, String token, Duration timeout) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri(n, path)).timeout(timeout).GET();
            if (token != null) {
                b.header("Authorization", token);
            }
            return Optional.of(http.send(b.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Waits until every node answers /health/ready with 200. */
    void awaitReady(Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> nodes.stream()
                .allMatch(n -> status(n, "/health/ready", null, Duration.ofSeconds(2)) == 200));
    }

    /** The applied index /health reports (open route, cheap), or empty if the node does not answer. */
    OptionalLong appliedIndex(Node n) {
        return get(n, "/health", null, Duration.ofSeconds(5)).filter(r -> r.statusCode() == 200).map(r -> {
            try {
                JsonNode j = JSON.readTree(r.body()).path("lastAppliedIndex");
                return j.isNumber() ? OptionalLong.of(j.asLong()) : OptionalLong.empty();
            } catch (IOException e) {
                return OptionalLong.empty();
            }
        }).orElse(OptionalLong.empty());
    }

    /** applied index and digest of one replica, or empty if it does not answer. */
    Optional<String> digest(Node n, String adminToken) {
        // A scan of the whole store: after a long run (10^6 inputs) it takes a while on a loaded machine.
        return get(n, "/admin/v1/state-digest", adminToken, Duration.ofSeconds(120)).filter(r -> r.statusCode() == 200)
                .map(r -> {
                    try {
                        JsonNode j = JSON.readTree(r.body());
                        return j.path("appliedIndex").asText() + ":" + j.path("digest").asText();
                    } catch (IOException e) {
                        return null;
                    }
                });
    }

    private static URI uri(Node n, String path) {
        return URI.create("http://127.0.0.1:" + n.control() + path);
    }

    private void script(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(repo.resolve("scripts/cluster.sh").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(repo.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(scriptLog.toFile()));
        pb.environment().put("TESSERA_CONF_DIR", confDir.toString());
        pb.environment().put("TESSERA_DATA_ROOT", dataRoot.toString());
        pb.environment().put("TESSERA_SERVER_JAR", serverJar.toString());
        // The fuzzer shares its cores with the nodes it loads: give a starting node more than the default 30 s.
        pb.environment().putIfAbsent("TESSERA_START_TIMEOUT", "120");
        // Same settings as the failover tests' process clusters: four JVMs share two cores here.
        pb.environment().put("TESSERA_JAVA_OPTS", "-Xms128m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
        for (String key : List.of("TESSERA_REGISTRY_USERNAME", "TESSERA_REGISTRY_PASSWORD", "TESSERA_ADMIN_USERNAME",
                "TESSERA_ADMIN_PASSWORD")) {
            pb.environment().remove(key);
        }
        try {
            Process p = pb.start();
            if (!p.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("cluster.sh " + String.join(" ", args) + " did not finish; log:\n"
                        + tail(scriptLog));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("cluster.sh " + String.join(" ", args) + " exited " + p.exitValue()
                        + "; log:\n" + tail(scriptLog));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(none: " + e + ")";
        }
    }

    /** Node logs outlive the temp dir under target/fuzz-logs. */
    private void keepLogs() {
        Path keep = Path.of("target", "fuzz-logs");
        try {
            Files.createDirectories(keep);
            for (Node n : nodes) {
                if (Files.isRegularFile(nodeLog(n))) {
                    Files.copy(nodeLog(n), keep.resolve(n.id() + ".log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            System.err.println("could not keep the node logs: " + e);
        }
    }

    @Override
    public void close() {
        if (!started) {
            return;
        }
        try {
            script("stop");
        } catch (RuntimeException e) {
            for (Node n : nodes) {
                try {
                    ProcessHandle.of(pid(n)).ifPresent(ProcessHandle::destroyForcibly);
                } catch (RuntimeException ignored) {
                    // best effort; the script's failure is reported
                }
            }
            throw e;
        } finally {
            keepLogs();
        }
    }
}
