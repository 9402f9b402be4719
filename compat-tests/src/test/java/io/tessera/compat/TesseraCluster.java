package io.tessera.compat;

import static org.awaitility.Awaitility.await;

import io.tessera.coordinator.config.MemberSpec;
import io.tessera.coordinator.config.NodeConfig;
import io.tessera.coordinator.tc.CoordinatorNode;
import io.tessera.coordinator.tc.TcOptions;
import io.tessera.coordinator.transport.ClientSession;
import io.tessera.raft.tx.EndedRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.seata.core.model.GlobalStatus;

/**
 * Three real coordinator nodes (jraft + RocksDB + front ends) in this JVM on ephemeral ports, one
 * data directory each under the test class's temp dir. Timings are short so that retries and
 * timeouts show up within a test, but the election timeout (1.5 s) leaves room for a busy 2-core box
 * (a leader change mid-test would break the tests that pin requests to the leader).
 */
final class TesseraCluster implements AutoCloseable {
    /** Phase-two retries every 50..500 ms, timeouts checked every 50 ms, commit answers wait 2 s for phase two. */
    static final TcOptions FAST = new TcOptions(4_000, 2_000, 200, 50, 500, 50, 60_000, 60_000);
    static final int RM_REQUEST_TIMEOUT_MS = 2_000;

    private final List<MemberSpec> members = new ArrayList<>();
    private final CoordinatorNode[] nodes;
    private final Path dir;
    private final String registryUsername;
    private final String registryPassword;

    TesseraCluster(Path dir, int size) {
        this(dir, size, null, null);
    }

    /** With credentials the control ports require a login (Seata's raft registry auth). */
    TesseraCluster(Path dir, int size, String registryUsername, String registryPassword) {
        this.dir = dir;
        this.registryUsername = registryUsername;
        this.registryPassword = registryPassword;
        for (int i = 1; i <= size; i++) {
            members.add(new MemberSpec("node" + i, "127.0.0.1", freePort(), freePort(), freePort()));
        }
        this.nodes = new CoordinatorNode[size];
    }

    /** Starts every node and returns once all of them agree on one leader (the registry then answers). */
    TesseraCluster start() throws IOException {
        for (int i = 0; i < nodes.length; i++) {
            MemberSpec m = members.get(i);
            NodeConfig c = new NodeConfig(m.id(), "127.0.0.1", dir.resolve(m.id()), members, "default", 1_500, 3_600,
                    5_000, RM_REQUEST_TIMEOUT_MS, 30, 4, 8 * 1024 * 1024, registryUsername, registryPassword);
            nodes[i] = new CoordinatorNode(c, FAST);
            nodes[i].start();
        }
        await().atMost(Duration.ofSeconds(30)).until(this::leaderKnownEverywhere);
        return this;
    }

    private boolean leaderKnownEverywhere() {
        long leaders = IntStream.range(0, nodes.length).filter(i -> nodes[i].group().isLeader()).count();
        List<Optional<String>> seen = IntStream.range(0, nodes.length)
                .mapToObj(i -> nodes[i].runtime().clusterView().leaderNodeId()).toList();
        return leaders == 1 && seen.get(0).isPresent() && seen.stream().distinct().count() == 1;
    }

    /** Stops node i for good (its RocksDB and Raft state stay on disk; the test does not restart it). */
    void stop(int i) {
        if (nodes[i] != null) {
            nodes[i].close();
            nodes[i] = null;
        }
    }

    int size() {
        return nodes.length;
    }

    CoordinatorNode node(int i) {
        return Objects.requireNonNull(nodes[i], "node " + i + " is stopped");
    }

    int leaderIndex() {
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

    List<Integer> followerIndexes() {
        int leader = leaderIndex();
        return IntStream.range(0, nodes.length).filter(i -> i != leader && nodes[i] != null).boxed().toList();
    }

    /** {@code host:port} of node i's transaction port, as the client addresses it and as XIDs start. */
    String transactionAddress(int i) {
        return "127.0.0.1:" + members.get(i).transactionPort();
    }

    /** Every node's transaction address joined with {@code separator} (the file registry wants ';'). */
    String transactionAddresses(String separator) {
        return IntStream.range(0, nodes.length).mapToObj(this::transactionAddress)
                .collect(Collectors.joining(separator));
    }

    /** Every node's control (HTTP) address, comma-separated, as {@code registry.raft.serverAddr} wants. */
    String controlAddresses() {
        return IntStream.range(0, nodes.length).mapToObj(this::controlAddress).collect(Collectors.joining(","));
    }

    /** Node i's control (HTTP) address. */
    String controlAddress(int i) {
        return "127.0.0.1:" + members.get(i).controlPort();
    }

    /** Index of the node whose transaction address prefixes {@code xid} (the node that served GlobalBegin). */
    int nodeOfXid(String xid) {
        for (int i = 0; i < nodes.length; i++) {
            if (xid.startsWith(transactionAddress(i) + ":")) {
                return i;
            }
        }
        throw new AssertionError("xid " + xid + " names no node of " + transactionAddresses(","));
    }

    List<ClientSession> rmSessions(int i) {
        return node(i).runtime().rmChannels().sessions();
    }

    /** The final status replicated to node i, if the transaction has ended there. */
    Optional<GlobalStatus> endedStatus(int i, String xid) {
        return node(i).stateMachine().view().ended(xid).map(EndedRecord::finalStatus)
                .map(s -> GlobalStatus.valueOf(s.name()));
    }

    /** The live status on node i (empty once ended). */
    Optional<GlobalStatus> liveStatus(int i, String xid) {
        return node(i).stateMachine().view().global(xid).map(g -> GlobalStatus.valueOf(g.status().name()));
    }

    /** Waits until every running node has applied the end of {@code xid} with {@code expected}. */
    void awaitEndedEverywhere(String xid, GlobalStatus expected) {
        await().atMost(Duration.ofSeconds(20)).until(() -> IntStream.range(0, nodes.length)
                .filter(i -> nodes[i] != null)
                .allMatch(i -> endedStatus(i, xid).filter(s -> s == expected).isPresent()));
    }

    /** Every running replica has applied the same state. */
    void awaitSameState() {
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

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
