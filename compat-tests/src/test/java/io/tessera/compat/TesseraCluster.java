package io.tessera.compat;

import static org.awaitility.Awaitility.await;

import io.tessera.coordinator.config.NodeConfig;
import io.tessera.coordinator.tc.TcOptions;
import io.tessera.coordinator.testing.LocalCluster;
import io.tessera.coordinator.testing.TestSecurity;
import io.tessera.coordinator.transport.ClientSession;
import io.tessera.raft.tx.EndedRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.seata.core.model.GlobalStatus;

/**
 * The shared in-process cluster, set up for the real client: a 1.5 s election (a loaded box must not
 * lose leaders mid-test), a 2 s RM timeout, the test credentials, and the addresses and
 * per-node status views the client tests assert on.
 */
final class TesseraCluster extends LocalCluster {
    /** Phase-two retries every 50..500 ms (FAST_RECOVERY), timeouts checked every 50 ms, commit answers wait 2 s for phase two. */
    static final TcOptions FAST = new TcOptions(4_000, 2_000, 200, 500, 60_000, 60_000);
    static final int RM_REQUEST_TIMEOUT_MS = 2_000;

    private final IntFunction<UnaryOperator<NodeConfig.Builder>> tweak;

    /** The control ports require a login with {@link TestSecurity#CLIENT} (Seata's raft registry auth). */
    TesseraCluster(Path dir, int size) {
        this(dir, size, UnaryOperator.identity());
    }

    /** @param tweak changes the nodes' configuration (limits, client auth) on top of this class's settings */
    TesseraCluster(Path dir, int size, UnaryOperator<NodeConfig.Builder> tweak) {
        this(i -> tweak, dir, size);
    }

    private TesseraCluster(IntFunction<UnaryOperator<NodeConfig.Builder>> tweak, Path dir, int size) {
        super(dir, size, FAST);
        this.tweak = tweak;
    }

    /** @param tweak node i's configuration changes (e.g. each node's own registry address) */
    static TesseraCluster perNode(Path dir, int size, IntFunction<UnaryOperator<NodeConfig.Builder>> tweak) {
        return new TesseraCluster(tweak, dir, size);
    }

    @Override
    protected NodeConfig config(int i) {
        return tweak.apply(i).apply(NodeConfig.builder(members().get(i).id(), dataDir(i), members(), security(i))
                .electionTimeoutMs(1_500).rmRequestTimeoutMs(RM_REQUEST_TIMEOUT_MS).readerIdleSeconds(30)
                .recovery(FAST_RECOVERY)).build();
    }

    /** Client authentication on, with {@code keysFile} (see ClientKeys for the format). */
    static UnaryOperator<NodeConfig.Builder> clientKeys(Path keysFile) {
        return b -> b.clientAuthKeysFile(keysFile);
    }

    /**
     * Starts every node and returns once all of them agree on one leader and hold the cluster's token key
     * (the registry then answers, logins included).
     */
    @Override
    public TesseraCluster start() throws IOException {
        super.start();
        await().atMost(Duration.ofSeconds(30)).until(this::leaderKnownEverywhere);
        // Seata's client logs in as soon as it starts; before the first key is applied login answers "not ready".
        awaitTokenKey();
        return this;
    }

    private boolean leaderKnownEverywhere() {
        long leaders = IntStream.range(0, size()).filter(i -> node(i).group().isLeader()).count();
        List<Optional<String>> seen = IntStream.range(0, size())
                .mapToObj(i -> node(i).runtime().clusterView().leaderNodeId()).toList();
        return leaders == 1 && seen.get(0).isPresent() && seen.stream().distinct().count() == 1;
    }

    /** {@code host:port} of node i's transaction port, as the client addresses it and as XIDs start. */
    String transactionAddress(int i) {
        return "127.0.0.1:" + transactionPort(i);
    }

    /** Every node's transaction address joined with {@code separator} (the file registry wants ';'). */
    String transactionAddresses(String separator) {
        return IntStream.range(0, size()).mapToObj(this::transactionAddress).collect(Collectors.joining(separator));
    }

    /** Every node's control (HTTP) address, comma-separated, as {@code registry.raft.serverAddr} wants. */
    String controlAddresses() {
        return IntStream.range(0, size()).mapToObj(this::controlAddress).collect(Collectors.joining(","));
    }

    /** Node i's control (HTTP) address. */
    String controlAddress(int i) {
        return "127.0.0.1:" + members().get(i).controlPort();
    }

    /** Index of the node whose transaction address prefixes {@code xid} (the node that served GlobalBegin). */
    int nodeOfXid(String xid) {
        for (int i = 0; i < size(); i++) {
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
        await().atMost(Duration.ofSeconds(20)).until(() -> IntStream.range(0, size())
                .filter(this::running)
                .allMatch(i -> endedStatus(i, xid).filter(s -> s == expected).isPresent()));
    }
}
