package io.tessera.compat.modes;

import static org.awaitility.Awaitility.await;

import io.tessera.coordinator.config.NodeConfig;
import io.tessera.coordinator.tc.TcOptions;
import io.tessera.coordinator.testing.LocalCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Three in-process nodes for a mode test (cheaper than node processes on a two-core box), set up like the
 * other compat tests' cluster: 1.5 s elections, fast phase-two retries, the real member TLS and credentials.
 * The client reaches it through the file registry (every node's transaction port), so followers forward.
 */
final class ModesCluster extends LocalCluster {
    /** Phase-two retries every 50..500 ms, commit answers wait 2 s for phase two (as TesseraCluster.FAST). */
    private static final TcOptions FAST = new TcOptions(4_000, 2_000, 200, 500, 60_000, 60_000);
    /** Live (not ended) statuses: none may be left once a test's transactions are over. */
    private static final Set<String> FINAL = Set.of("Committed", "CommitFailed", "Rollbacked", "RollbackFailed",
            "TimeoutRollbacked", "TimeoutRollbackFailed", "Finished");

    ModesCluster(Path dir) {
        super(dir, 3, FAST);
    }

    @Override
    protected NodeConfig config(int i) {
        return NodeConfig.builder(members().get(i).id(), dataDir(i), members(), security(i))
                .electionTimeoutMs(1_500).rmRequestTimeoutMs(5_000).readerIdleSeconds(30)
                .recovery(FAST_RECOVERY).build();
    }

    /** Starts every node and returns once one leader is elected and the token key is applied. */
    @Override
    public ModesCluster start() throws IOException {
        super.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> IntStream.range(0, size())
                .filter(i -> node(i).group().isLeader()).count() == 1);
        awaitTokenKey();
        return this;
    }

    /** {@code service.default.grouplist} of Seata's file registry: the transaction ports, ';'-separated. */
    String grouplist() {
        return IntStream.range(0, size()).mapToObj(i -> "127.0.0.1:" + transactionPort(i))
                .collect(Collectors.joining(";"));
    }

    /** Held AT row locks and live transactions on node i (both must be 0 once a test's work is over). */
    Map<String, Long> leftovers(int i) {
        var view = node(i).stateMachine().view();
        long live = view.statusCounts().entrySet().stream().filter(e -> !FINAL.contains(e.getKey().name()))
                .mapToLong(Map.Entry::getValue).sum();
        return Map.of("locks", view.lockCount(), "live", live);
    }

    /** Waits until every running node has recorded {@code xid} as ended with {@code status} (a GlobalStatus name). */
    void awaitEnded(String xid, String status) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> IntStream.range(0, size()).filter(this::running).allMatch(i -> node(i).stateMachine().view()
                        .ended(xid).filter(e -> e.finalStatus().name().equals(status)).isPresent()));
    }

    /** Waits until no node holds a global lock or a live transaction. */
    void awaitNoLocksOrLiveTransactions() {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> IntStream.range(0, size()).filter(this::running)
                        .allMatch(i -> leftovers(i).values().stream().allMatch(v -> v == 0)));
    }
}
