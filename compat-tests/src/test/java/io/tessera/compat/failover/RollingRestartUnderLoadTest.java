package io.tessera.compat.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.compat.failover.TxLoad.Outcome;
import io.tessera.compat.failover.TxLoad.TxRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.seata.core.model.GlobalStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/cluster.sh restart} (rolling: followers first, the leader last; each node gracefully
 * stopped, started, caught up before the next) of three node processes while the unmodified seata-all
 * client runs 16 threads of two-branch TCC plus 10 probe transactions a second. The goal is zero failed
 * transactions: a graceful stop hands leadership over before the ports close and drains what the node
 * holds. Asserted: no failed transaction, nothing lost, decided twice or left open, replicas equal.
 * Printed per restart: failed count, the longest stall (no transaction completed), the longest
 * transaction and p99 latency of the transactions begun during the restart.
 *
 * <p>{@code -Drolling.runs=N} repeats the rolling restart N times on the same cluster and load (default 1;
 * docs/benchmarks.md records 3).
 */
@Timeout(value = 12, unit = TimeUnit.MINUTES)
class RollingRestartUnderLoadTest {
    private static final int THREADS = 16;
    private static final int TX_TIMEOUT_MS = 20_000;
    private static final int STEADY_COMMITS = 100;

    @TempDir
    Path dir;

    private record Window(long startNanos, long endNanos, long termBefore, long termAfter) {
        boolean overlaps(TxRecord r) {
            return r.endNanos() >= startNanos && r.startNanos() <= endNanos;
        }
    }

    @Test
    void aRollingRestartUnderLoadFailsNoTransaction() throws Exception {
        int runs = Integer.getInteger("rolling.runs", 1);
        try (ProcessCluster cluster = new ProcessCluster(dir, 3, "rolling-restart-logs").start();
                LoadClient client = LoadClient.start(cluster);
                TxLoad load = new TxLoad(THREADS, TX_TIMEOUT_MS)) {
            load.start();
            LoadClient.awaitCommits(load, STEADY_COMMITS);
            // The client connects to every node (its reconnect timer) and watches a follower: steady state.
            for (ProcessCluster.Member m : cluster.members()) {
                cluster.awaitClientConnected(m.id());
            }
            LoadClient.awaitCommits(load, STEADY_COMMITS);
            List<Window> windows = new ArrayList<>();
            for (int run = 0; run < runs; run++) {
                long termBefore = maxTerm(cluster);
                long start = System.nanoTime();
                cluster.rollingRestart();
                long end = System.nanoTime();
                windows.add(new Window(start, end, termBefore, maxTerm(cluster)));
                for (ProcessCluster.Member m : cluster.members()) {
                    cluster.awaitClientConnected(m.id());
                }
                LoadClient.awaitCommits(load, STEADY_COMMITS);
            }
            load.stop();

            List<TxRecord> records = load.records();
            List<TxRecord> failed = new ArrayList<>();
            for (int i = 0; i < windows.size(); i++) {
                Window w = windows.get(i);
                List<TxRecord> in = records.stream().filter(w::overlaps).toList();
                List<TxRecord> f = in.stream().filter(r -> r.outcome() == Outcome.FAILED).toList();
                failed.addAll(f);
                List<Long> latencies = records.stream().filter(r -> r.startNanos() >= w.startNanos()
                        && r.startNanos() <= w.endNanos()).map(r -> ms(r.endNanos() - r.startNanos())).sorted().toList();
                System.out.printf("ROLLING run %d: restart of 3 nodes took %d ms, %d leader change(s), %d transactions "
                                + "during it, %d failed, longest stall %d ms, longest transaction %d ms, p99 %d ms, "
                                + "median %d ms%s%n", i + 1, ms(w.endNanos() - w.startNanos()),
                        w.termAfter() - w.termBefore(), in.size(), f.size(), longestStall(records, w),
                        latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1), percentile(latencies, 0.99),
                        percentile(latencies, 0.5),
                        f.isEmpty() ? "" : " " + f.stream().map(r -> r.stage() + ": " + r.error()).toList());
            }
            assertEquals(List.of(), failed, "no transaction fails during a rolling restart");
            Map<String, GlobalStatus> finals = LoadClient.awaitAllEnded(records, Duration.ofSeconds(TX_TIMEOUT_MS / 1000 + 40));
            client.checkFinalState(records, finals);
            assertTrue(records.stream().anyMatch(r -> r.outcome() == Outcome.COMMITTED
                    && r.startNanos() > windows.get(windows.size() - 1).endNanos()), "commits after the restart");
            cluster.awaitReplicasConverged();
        }
    }

    /** The longest time within the window in which no transaction completed (committed or not). */
    private static long longestStall(List<TxRecord> records, Window w) {
        List<Long> ends = new ArrayList<>(records.stream().map(TxRecord::endNanos)
                .filter(e -> e >= w.startNanos() && e <= w.endNanos()).sorted().toList());
        ends.add(0, w.startNanos());
        ends.add(w.endNanos());
        long max = 0;
        for (int i = 1; i < ends.size(); i++) {
            max = Math.max(max, ends.get(i) - ends.get(i - 1));
        }
        return ms(max);
    }

    private static long percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static long maxTerm(ProcessCluster cluster) {
        return cluster.liveHealth().stream().mapToLong(ProcessCluster.Health::term).max().orElse(0);
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
