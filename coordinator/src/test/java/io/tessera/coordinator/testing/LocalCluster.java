package io.tessera.coordinator.testing;

import static org.awaitility.Awaitility.await;

import io.tessera.coordinator.config.MemberSpec;
import io.tessera.coordinator.config.NodeConfig;
import io.tessera.coordinator.CoordinatorNode;
import io.tessera.coordinator.tc.TcOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * N complete coordinator nodes (jraft, RocksDB, Netty) in this JVM on ephemeral loopback ports, each
 * with its own data directory under {@code dir}. Shared by the test suites of every module that needs
 * a real cluster; a suite changes the node settings by overriding {@link #config}.
 */
public class LocalCluster implements AutoCloseable {
    /**
     * Seata's recovery settings with every retry period at 50 ms (phase-two retries, timeout checks), so
     * tests see retries and timeouts at once; everything else at its default.
     */
    public static final NodeConfig.Recovery FAST_RECOVERY = new NodeConfig.Recovery(-1, -1, false, 50, 50, 50, 50,
            70_000, 7, 24 * 60 * 60 * 1_000L);

    private final List<MemberSpec> members = new ArrayList<>();
    /** Nodes 0..bootstrapSize-1 form the cluster; nodes added later join it (cluster.join=true). */
    private final int bootstrapSize;
    private CoordinatorNode[] nodes;
    private final Path dir;
    private final TcOptions options;

    public LocalCluster(Path dir, int size, TcOptions options) {
        this.dir = dir;
        this.options = options;
        for (int i = 1; i <= size; i++) {
            members.add(new MemberSpec("node" + i, "127.0.0.1", freePort(), freePort(), freePort()));
        }
        this.nodes = new CoordinatorNode[size];
        this.bootstrapSize = size;
    }

    /**
     * A new node (not started) on fresh ports, configured to join the running cluster; its index. Until an
     * admin adds it, it is not a member.
     */
    public int addNode() {
        int i = members.size();
        members.add(new MemberSpec("node" + (i + 1), "127.0.0.1", freePort(), freePort(), freePort()));
        nodes = java.util.Arrays.copyOf(nodes, members.size());
        return i;
    }

    /** True for a node added after the bootstrap (it starts in join mode). */
    protected boolean joining(int i) {
        return i >= bootstrapSize;
    }

    /**
     * Node i's configuration; the default suits fast tests (short elections, 8 MiB frames) and is as
     * closed as a real node: both roles' credentials, mutual TLS between the members.
     */
    protected NodeConfig config(int i) {
        return NodeConfig.builder(members.get(i).id(), dataDir(i), configuredMembers(i), security(i))
                .electionTimeoutMs(600).rmRequestTimeoutMs(3000)
                .lifecycle(new NodeConfig.Lifecycle(joining(i), 50_000, 2_000))
                .recovery(FAST_RECOVERY).monitoring(monitoring(i)).build();
    }

    /** Node i's metrics and probe settings (metrics on, no scrape secret, by default). */
    protected NodeConfig.Monitoring monitoring(int i) {
        return NodeConfig.Monitoring.defaults();
    }

    /** cluster.members of node i: the bootstrap members, and a joining node itself. */
    protected List<MemberSpec> configuredMembers(int i) {
        List<MemberSpec> list = new ArrayList<>(members.subList(0, bootstrapSize));
        if (joining(i)) {
            list.add(members.get(i));
        }
        return list;
    }

    /** Node i's credentials and member certificate (one cluster CA under {@code <dir>/pki}). */
    protected NodeConfig.Security security(int i) {
        return TestSecurity.withMemberTls(dir.resolve("pki"), members.get(i).id());
    }

    public LocalCluster start() throws IOException {
        for (int i = 0; i < nodes.length; i++) {
            start(i);
        }
        return this;
    }

    public void start(int i) throws IOException {
        CoordinatorNode node = new CoordinatorNode(config(i), options);
        node.start();
        nodes[i] = node;
    }

    /** A planned stop of node i (SIGTERM): a leader hands over first, then the node drains and closes. */
    public void stopGracefully(int i) {
        if (nodes[i] != null) {
            nodes[i].stopGracefully();
            nodes[i] = null;
        }
    }

    /** Stops node i; its RocksDB and Raft state stay on disk, so {@link #start(int)} brings it back. */
    public void stop(int i) {
        if (nodes[i] != null) {
            nodes[i].close();
            nodes[i] = null;
        }
    }

    public int size() {
        return nodes.length;
    }

    /** The indexes of the running nodes. */
    public List<Integer> runningIndexes() {
        return IntStream.range(0, nodes.length).filter(i -> nodes[i] != null).boxed().toList();
    }

    public List<MemberSpec> members() {
        return members;
    }

    public Path dataDir(int i) {
        return dir.resolve(members.get(i).id());
    }

    public CoordinatorNode node(int i) {
        return Objects.requireNonNull(nodes[i], "node " + i + " is stopped");
    }

    /** True when node i is running. */
    public boolean running(int i) {
        return nodes[i] != null;
    }

    public int transactionPort(int i) {
        return members.get(i).transactionPort();
    }

    public int leaderIndex() {
        await().atMost(Duration.ofSeconds(20)).until(() -> leaderOrMinus() >= 0);
        return leaderOrMinus();
    }

    private int leaderOrMinus() {
        for (int i = 0; i < nodes.length; i++) {
            if (nodes[i] != null && nodes[i].group().isLeader()) {
                return i;
            }
        }
        return -1;
    }

    public List<Integer> followerIndexes() {
        int leader = leaderIndex();
        return IntStream.range(0, nodes.length).filter(i -> i != leader && nodes[i] != null).boxed().toList();
    }

    public int followerIndex() {
        return followerIndexes().stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("no follower running"));
    }

    /**
     * Every running node has applied the cluster's control token key (the first leader proposes it), so
     * logins answer with tokens on every node.
     */
    public void awaitTokenKey() {
        await().atMost(Duration.ofSeconds(20)).until(() -> IntStream.range(0, nodes.length)
                .filter(i -> nodes[i] != null)
                .allMatch(i -> nodes[i].stateMachine().view().tokenKey().isPresent()));
    }

    /** Node i's control port, for HTTP calls. */
    public ControlHttp control(int i) {
        return new ControlHttp("127.0.0.1", members.get(i).controlPort());
    }

    /** Every running replica has applied the same state. */
    public void awaitSameState() {
        await().atMost(Duration.ofSeconds(20)).until(() -> IntStream.range(0, nodes.length)
                .filter(i -> nodes[i] != null)
                .mapToObj(i -> nodes[i].stateMachine().view().digest()).distinct().count() == 1);
    }

    @Override
    public void close() {
        for (int i = 0; i < nodes.length; i++) {
            stop(i);
        }
    }

    /**
     * A port for a member to bind. Picked below the kernel's ephemeral range when there is room there: a
     * port the OS hands out for {@code bind(0)} can be taken as the source port of any outgoing connection
     * of this JVM (jraft's reconnects to a stopped member) before the node binds it, which a full run saw as
     * "raft port ... already in use". Falls back to the OS's pick when the range leaves no room below it.
     */
    private static int freePort() {
        int low = ephemeralLow();
        if (low > 12_000) {
            int span = low - 10_000;
            for (int i = 0; i < 200; i++) {
                int port = 10_000 + Math.floorMod(NEXT_PORT.getAndAdd(7), span);
                try (ServerSocket s = new ServerSocket()) {
                    // As strict as the node's own bind: a port with connections in TIME_WAIT is not free.
                    s.setReuseAddress(false);
                    s.bind(new InetSocketAddress("127.0.0.1", port));
                    return port;
                } catch (IOException taken) {
                    // in use: try the next
                }
            }
        }
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ports handed out by this JVM's clusters; starts at a pid-dependent offset so two JVMs rarely meet. */
    private static final AtomicInteger NEXT_PORT = new AtomicInteger((int) (ProcessHandle.current().pid() * 101));

    private static int ephemeralLow() {
        // Read line-wise: Files.readString trusts the size /proc reports and returned a truncated "3" here.
        try (var reader = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            return Integer.parseInt(reader.readLine().trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
