package io.tessera.compat.matrix;

import static org.awaitility.Awaitility.await;

import io.tessera.coordinator.config.NodeConfig;
import io.tessera.coordinator.tc.TcOptions;
import io.tessera.coordinator.testing.LocalCluster;
import io.tessera.raft.tx.EndedRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Three real nodes in this JVM (jraft, RocksDB, Netty, member TLS, the client role's login on the
 * control port), timed for a shared CI machine: a 1.5 s election, phase two retried every 50–500 ms.
 */
final class MatrixCluster extends LocalCluster {
    private static final TcOptions FAST = new TcOptions(4_000, 2_000, 200, 500, 60_000, 60_000);

    MatrixCluster(Path dir) {
        super(dir, 3, FAST);
    }

    @Override
    protected NodeConfig config(int i) {
        return NodeConfig.builder(members().get(i).id(), dataDir(i), members(), security(i))
                .electionTimeoutMs(1_500).rmRequestTimeoutMs(2_000).readerIdleSeconds(30).build();
    }

    /** Started, one leader known everywhere, and logins answered (Seata's raft client logs in at once). */
    @Override
    public MatrixCluster start() throws IOException {
        super.start();
        leaderIndex();
        await().atMost(Duration.ofSeconds(30)).until(() -> IntStream.range(0, size())
                .allMatch(i -> node(i).runtime().clusterView().leaderNodeId().isPresent()));
        awaitTokenKey();
        return this;
    }

    /** {@code 127.0.0.1:p1;127.0.0.1:p2;…}: service.default.grouplist (the file registry wants ';'). */
    String transactionAddresses() {
        return IntStream.range(0, size()).mapToObj(i -> "127.0.0.1:" + transactionPort(i))
                .collect(Collectors.joining(";"));
    }

    /** {@code 127.0.0.1:c1,…}: registry.raft.serverAddr. */
    String controlAddresses() {
        return IntStream.range(0, size()).mapToObj(i -> "127.0.0.1:" + members().get(i).controlPort())
                .collect(Collectors.joining(","));
    }

    /** The final status node i applied for {@code xid} ("Committed", …), once it has ended there. */
    Optional<String> endedStatus(int i, String xid) {
        return node(i).stateMachine().view().ended(xid).map(EndedRecord::finalStatus).map(Enum::name);
    }
}
