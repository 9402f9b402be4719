package io.tessera.raft.group;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/** N real jraft members in this JVM, each with its own data directory under one temp dir. */
final class TestCluster implements AutoCloseable {
    static final long REQUEST_TIMEOUT_MS = 8_000;

    private final Path root;
    private final List<String> endpoints = new ArrayList<>();
    /** The bootstrap configuration: the first n members; members added later join the running group. */
    private final List<String> bootstrap;
    private RaftGroup[] groups;
    private KvTarget[] targets;
    private long snapshotLogEntries;
    private IntFunction<Function<Path, KvTarget>> targetFactory = i -> KvTarget::new;
    private IntFunction<CommandStamper> stamperFactory = i -> new TestStamper();
    private int snapshotIntervalSecs = 0;
    private long requestTimeoutMs = REQUEST_TIMEOUT_MS;
    private java.util.function.ObjIntConsumer<RaftGroup> beforeStart = (g, i) -> { };
    private IntFunction<io.tessera.raft.tls.MemberTls> tls = i -> null;
    private String bindHost;

    TestCluster(Path root, int n) {
        this.root = root;
        for (int i = 0; i < n; i++) {
            endpoints.add("127.0.0.1:" + freePort());
        }
        bootstrap = List.copyOf(endpoints);
        groups = new RaftGroup[n];
        targets = new KvTarget[n];
    }

    /** A new member (not started) on a fresh port; it joins the running group when started. Its index. */
    int addMember() {
        endpoints.add("127.0.0.1:" + freePort());
        groups = java.util.Arrays.copyOf(groups, endpoints.size());
        targets = java.util.Arrays.copyOf(targets, endpoints.size());
        return endpoints.size() - 1;
    }

    /** raft.snapshot-log-entries of every member started from now on. */
    TestCluster snapshotLogEntries(long n) {
        snapshotLogEntries = n;
        return this;
    }

    TestCluster snapshotIntervalSecs(int secs) {
        snapshotIntervalSecs = secs;
        return this;
    }

    TestCluster targets(IntFunction<Function<Path, KvTarget>> f) {
        targetFactory = f;
        return this;
    }

    TestCluster stampers(IntFunction<CommandStamper> f) {
        stamperFactory = f;
        return this;
    }

    TestCluster requestTimeoutMs(long ms) {
        requestTimeoutMs = ms;
        return this;
    }

    /** Runs on every member after construction and before start() (to register listeners). */
    TestCluster beforeStart(java.util.function.ObjIntConsumer<RaftGroup> hook) {
        beforeStart = hook;
        return this;
    }

    /** Member i's TLS identity; null (the default) keeps member i on plain TCP. */
    TestCluster tls(IntFunction<io.tessera.raft.tls.MemberTls> f) {
        tls = f;
        return this;
    }

    /** The raft ports' bind host; null (the default): each member's endpoint host. */
    TestCluster bindHost(String host) {
        bindHost = host;
        return this;
    }

    String endpoint(int i) {
        return endpoints.get(i);
    }

    TestCluster startAll() {
        IntStream.range(0, groups.length).forEach(this::start);
        return this;
    }

    void start(int i) {
        start(i, bootstrap);
    }

    /** Starts member i with {@code peers} as its configured (bootstrap) member list. */
    void start(int i, List<String> peers) {
        if (groups[i] != null) {
            throw new IllegalStateException("member " + i + " running");
        }
        Path dir = root.resolve("n" + i);
        RaftGroupOptions o = RaftGroupOptions.builder()
                .groupId("test")
                .dataDir(dir)
                .selfEndpoint(endpoints.get(i))
                .peers(peers)
                // Members beyond the bootstrap list join the running group (empty configuration).
                .join(!bootstrap.contains(endpoints.get(i)))
                .snapshotLogEntries(snapshotLogEntries)
                .electionTimeoutMs(1000)
                .snapshotIntervalSecs(snapshotIntervalSecs)
                .requestTimeoutMs(requestTimeoutMs)
                .tls(tls.apply(i))
                .bindHost(bindHost)
                .build();
        KvTarget t = targetFactory.apply(i).apply(o.stateDir());
        RaftGroup g = new RaftGroup(o, t, stamperFactory.apply(i));
        beforeStart.accept(g, i);
        try {
            g.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        groups[i] = g;
        targets[i] = t;
    }

    void stop(int i) {
        RaftGroup g = Objects.requireNonNull(groups[i], "not running");
        groups[i] = null;
        targets[i] = null;
        g.close();
    }

    int size() {
        return groups.length;
    }

    RaftGroup group(int i) {
        return groups[i];
    }

    KvTarget target(int i) {
        return targets[i];
    }

    int indexOf(RaftGroup g) {
        for (int i = 0; i < groups.length; i++) {
            if (groups[i] == g) {
                return i;
            }
        }
        throw new IllegalArgumentException("not a member");
    }

    /** Waits until exactly one running member is the ready leader and every running member knows it. */
    RaftGroup waitLeader(Duration timeout) {
        await("leader").atMost(timeout).until(() -> {
            List<RaftGroup> leaders = running().stream().filter(RaftGroup::isLeader).toList();
            return leaders.size() == 1 && running().stream().allMatch(
                    g -> g.leaderEndpoint().equals(java.util.Optional.of(leaders.get(0).selfEndpoint())));
        });
        return running().stream().filter(RaftGroup::isLeader).findFirst().orElseThrow();
    }

    List<RaftGroup> running() {
        return java.util.Arrays.stream(groups).filter(Objects::nonNull).toList();
    }

    List<Integer> followerIndexes() {
        return IntStream.range(0, groups.length)
                .filter(i -> groups[i] != null && !groups[i].isLeader()).boxed().toList();
    }

    /** Waits until every running replica holds the same state (same digest, same applied index). */
    void ensureSame(Duration timeout) {
        await("replicas converge").atMost(timeout).until(() -> {
            List<String> digests = new ArrayList<>();
            for (KvTarget t : targets) {
                if (t != null) {
                    digests.add(t.lastAppliedIndex() + ":" + t.digest());
                }
            }
            return digests.stream().distinct().count() == 1;
        });
    }

    @Override
    public void close() {
        for (int i = 0; i < groups.length; i++) {
            if (groups[i] != null) {
                stop(i);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
