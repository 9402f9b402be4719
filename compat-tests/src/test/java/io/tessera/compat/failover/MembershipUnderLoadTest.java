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
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.seata.core.model.GlobalStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Online membership changes of node processes (scripts/cluster.sh add / remove / replace, which call
 * tessera-admin member …) while the unmodified seata-all client (raft registry seeded with the three
 * original control addresses only) runs 16 threads of two-branch TCC: grow 3 → 5, remove the leader and a
 * follower (→ 3), kill -9 a follower, wipe its disk and replace it by a fresh node with a new id. At the
 * end no original node is left. Checked: nothing lost, decided twice or left open; no node answered a
 * failure; the client follows the cluster to members it was never configured with; every replica holds the
 * same state. Figures per step are printed, not asserted.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class MembershipUnderLoadTest {
    private static final int THREADS = 16;
    private static final int TX_TIMEOUT_MS = 20_000;
    private static final int STEADY_COMMITS = 100;

    @TempDir
    Path dir;

    /** One membership step: what was done, when (System.nanoTime), and the leader before and after. */
    private record Step(String what, long startNanos, long endNanos, String leaderBefore, String leaderAfter) {
        String line(List<TxRecord> records) {
            List<TxRecord> failed = records.stream().filter(r -> r.outcome() == Outcome.FAILED
                    && r.endNanos() >= startNanos && r.startNanos() <= endNanos).toList();
            long maxStall = records.stream().filter(r -> r.endNanos() >= startNanos && r.startNanos() <= endNanos)
                    .mapToLong(r -> r.endNanos() - r.startNanos()).max().orElse(0);
            return String.format("%s: %d ms, leader %s -> %s, %d transactions failed, longest transaction %d ms%s", what,
                    ms(endNanos - startNanos), leaderBefore, leaderAfter, failed.size(), ms(maxStall),
                    failed.isEmpty() ? "" : " " + failed.stream().map(r -> r.stage() + ": " + r.error()).toList());
        }
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    @Test
    void growToFiveShrinkToThreeRemoveTheLeaderAndReplaceAWipedNodeUnderLoad() throws Exception {
        try (ProcessCluster cluster = new ProcessCluster(dir, 3, "membership-logs").start();
                LoadClient client = LoadClient.start(cluster);
                TxLoad load = new TxLoad(THREADS, TX_TIMEOUT_MS)) {
            load.start();
            LoadClient.awaitCommits(load, STEADY_COMMITS);
            List<Step> steps = new ArrayList<>();
            steps.add(step(cluster, load, "add node4", () -> cluster.add("node4")));
            steps.add(step(cluster, load, "add node5", () -> cluster.add("node5")));
            String leader = cluster.awaitOneLeaderAgreed();
            steps.add(step(cluster, load, "remove the leader " + leader, () -> cluster.remove(leader)));
            String follower = original(cluster);
            steps.add(step(cluster, load, "remove " + follower, () -> cluster.remove(follower)));
            // The last original node is the one whose machine fails; a follower (a leader kill is
            // LeaderKillFailoverTest's subject).
            String lost = cluster.members().stream().map(ProcessCluster.Member::id).filter(id -> id.matches("node[123]"))
                    .findFirst().orElseThrow();
            if (lost.equals(cluster.awaitOneLeaderAgreed())) {
                cluster.transferLeader("node4");
            }
            steps.add(step(cluster, load, "kill -9 " + lost + ", wipe its disk, replace it by node6", () -> {
                cluster.kill(lost);
                cluster.wipe(lost);
                cluster.replace(lost, "node6");
            }));
            assertEquals(Set.of("node4", "node5", "node6"), cluster.members().stream().map(ProcessCluster.Member::id)
                    .collect(Collectors.toSet()), "no original node is left");
            // The client, configured with the original three control addresses only, works with the new members:
            // it commits through the current leader and has connected to every new node.
            String finalLeader = cluster.awaitOneLeaderAgreed();
            for (ProcessCluster.Member m : cluster.members()) {
                cluster.awaitClientConnected(m.id());
            }
            long afterAll = System.nanoTime();
            LoadClient.awaitCommits(load, STEADY_COMMITS);
            load.stop();

            List<TxRecord> records = load.records();
            System.out.printf("MEMBERSHIP %d threads + 10/s probes: %d transactions (%d committed, %d failed)%n", THREADS,
                    records.size(), records.stream().filter(r -> r.outcome() == Outcome.COMMITTED).count(),
                    records.stream().filter(r -> r.outcome() == Outcome.FAILED).count());
            steps.forEach(s -> System.out.println("MEMBERSHIP " + s.line(records)));

            String leaderAddress = cluster.member(finalLeader).transactionAddress() + ":";
            assertTrue(records.stream().anyMatch(r -> r.outcome() == Outcome.COMMITTED && r.startNanos() > afterAll
                    && r.xid().startsWith(leaderAddress)), "the client commits through the new leader " + finalLeader);
            for (TxRecord r : records) {
                boolean answered = r.outcome() == Outcome.FAILED && r.error().contains("TransactionException[");
                assertTrue(!answered || r.stage().startsWith("register") && r.error().contains("LEADERSHIP_CHANGED"),
                        "a node answered a failure: " + r);
            }
            Map<String, GlobalStatus> finals = LoadClient.awaitAllEnded(records, Duration.ofSeconds(TX_TIMEOUT_MS / 1000 + 40));
            client.checkFinalState(records, finals);
            cluster.awaitReplicasConverged();
        }
    }

    private interface Action {
        void run() throws Exception;
    }

    /** Runs one step under load, then waits for the client to commit some more (it is steady again). */
    private static Step step(ProcessCluster cluster, TxLoad load, String what, Action action) throws Exception {
        String before = cluster.awaitOneLeaderAgreed();
        long start = System.nanoTime();
        action.run();
        long end = System.nanoTime();
        String after = cluster.awaitOneLeaderAgreed();
        LoadClient.awaitCommits(load, STEADY_COMMITS);
        System.out.println("MEMBERSHIP done: " + what);
        return new Step(what, start, end, before, after);
    }

    /** An original node (node1..3) that is still a member and not the leader. */
    private static String original(ProcessCluster cluster) {
        String leader = cluster.awaitOneLeaderAgreed();
        return cluster.members().stream().map(ProcessCluster.Member::id)
                .filter(id -> id.matches("node[123]") && !id.equals(leader)).findFirst().orElseThrow();
    }
}
