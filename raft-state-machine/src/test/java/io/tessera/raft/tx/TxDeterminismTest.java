package io.tessera.raft.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.raft.group.ApplyTarget.Entry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class TxDeterminismTest {
    @TempDir
    Path tmp;

    /**
     * A seeded mixed workload, stamped once (the "log"). The seed only shapes the test input; apply
     * itself has no randomness.
     */
    private static List<Entry> workload(long seed, int commands) {
        Random rnd = new Random(seed);
        TxCommands c = new TxCommands();
        TxCommandStamper stamper = new TxCommandStamper();
        long[] ids = {1};
        long[] now = {1000};
        var ctx = new io.tessera.raft.group.CommandStamper.StampContext() {
            public long term() {
                return 1;
            }

            public long nextId() {
                return ids[0]++;
            }

            public long nowMillis() {
                return now[0];
            }
        };
        List<String> xids = new ArrayList<>();
        List<long[]> branches = new ArrayList<>(); // {xidIndex, branchId}
        List<Entry> log = new ArrayList<>();
        for (int i = 1; i <= commands; i++) {
            now[0] += rnd.nextInt(50);
            io.tessera.raft.proto.TxCommand draft;
            int op = rnd.nextInt(10);
            if (xids.isEmpty() || op == 0) {
                long id = ids[0];
                draft = c.begin("10.0.0.1:8091", "app", "grp", "t" + i, 200 + rnd.nextInt(2000));
                xids.add("10.0.0.1:8091:" + id);
            } else {
                int xi = rnd.nextInt(xids.size());
                String xid = xids.get(xi);
                draft = switch (op) {
                    case 1, 2, 3 -> {
                        branches.add(new long[] {xi, ids[0]});
                        BranchType type = rnd.nextInt(4) == 0 ? BranchType.TCC : BranchType.AT;
                        String data = rnd.nextBoolean() ? "{\"autoCommit\":false}" : null;
                        yield c.register(xid, type, "db" + rnd.nextInt(2), "t:" + rnd.nextInt(20) + "," + rnd.nextInt(20),
                                "app:1.1.1.1:1", data);
                    }
                    case 4 -> c.commit(xid);
                    case 5 -> c.rollback(xid);
                    case 6 -> c.timeout(xid);
                    case 7 -> {
                        if (branches.isEmpty()) {
                            yield c.noop();
                        }
                        long[] b = branches.get(rnd.nextInt(branches.size()));
                        BranchStatus[] answers = {BranchStatus.PhaseTwo_Committed, BranchStatus.PhaseTwo_Rollbacked,
                            BranchStatus.PhaseTwo_CommitFailed_Retryable, BranchStatus.PhaseTwo_RollbackFailed_Retryable,
                            BranchStatus.PhaseTwo_RollbackFailed_Unretryable};
                        yield c.phaseTwoResult(xids.get((int) b[0]), b[1], answers[rnd.nextInt(answers.length)]);
                    }
                    case 8 -> c.purgeEnded(3000, 5);
                    default -> c.end(xid, rnd.nextBoolean() ? GlobalStatus.CommitRetryTimeout : GlobalStatus.RollbackRetryTimeout);
                };
            }
            log.add(new Entry(i, 1, stamper.stamp(draft.toByteArray(), ctx)));
        }
        return log;
    }

    private static String applyInBatches(Path dir, List<Entry> log, int batchSize) throws Exception {
        try (TxStateMachine m = new TxStateMachine(dir)) {
            m.open();
            for (int i = 0; i < log.size(); i += batchSize) {
                m.applyBatch(log.subList(i, Math.min(log.size(), i + batchSize)));
            }
            return m.view().digest();
        }
    }

    @Test
    void sameLogGivesSameDigestWhateverTheBatching() throws Exception {
        List<Entry> log = workload(42, 1500);
        String one = applyInBatches(tmp.resolve("one"), log, 1);
        String big = applyInBatches(tmp.resolve("big"), log, 64);
        String odd = applyInBatches(tmp.resolve("odd"), log, 7);
        assertEquals(one, big);
        assertEquals(one, odd);
        String other = applyInBatches(tmp.resolve("other"), workload(43, 1500), 64);
        assertNotEquals(one, other, "the digest does depend on the state");
    }

    @Test
    void workloadExercisesMostOutcomes() throws Exception {
        List<Entry> log = workload(42, 1500);
        TxCommands c = new TxCommands();
        java.util.Set<String> seen = new java.util.TreeSet<>();
        try (TxStateMachine m = new TxStateMachine(tmp.resolve("m"))) {
            m.open();
            for (io.tessera.raft.proto.TxResult r : m.applyBatch(log)) {
                TxOutcome o = TxOutcome.of(r);
                seen.add(o.success() ? o.globalStatus().name() : o.exceptionCode().name());
            }
        }
        for (String expected : List.of("LockKeyConflict", "GlobalTransactionNotActive", "AsyncCommitting",
                "Committed", "TimeoutRollbacking", "Rollbacking")) {
            assertTrue(seen.contains(expected), "workload never produced " + expected + ": " + seen);
        }
    }

    @Test
    void viewReadsDuringApplyAlwaysSeeConsistentIndexes() throws Exception {
        List<Entry> log = workload(7, 3000);
        try (TxStateMachine m = new TxStateMachine(tmp.resolve("m"))) {
            m.open();
            TxView view = m.view();
            AtomicBoolean done = new AtomicBoolean();
            ExecutorService reader = Executors.newSingleThreadExecutor();
            try {
                Future<Integer> reads = reader.submit(() -> {
                    int n = 0;
                    while (!done.get()) {
                        // Every indexed global resolves (the index and the row are written in one batch).
                        for (GlobalStatus s : List.of(GlobalStatus.Begin, GlobalStatus.Committing,
                                GlobalStatus.AsyncCommitting, GlobalStatus.Rollbacking)) {
                            for (GlobalTxRecord g : view.byStatus(s, 50)) {
                                assertEquals(s, g.status());
                            }
                        }
                        view.expiredAt(Long.MAX_VALUE, 50).forEach(g -> assertEquals(GlobalStatus.Begin, g.status()));
                        n++;
                    }
                    return n;
                });
                for (int i = 0; i < log.size(); i += 10) {
                    m.applyBatch(log.subList(i, Math.min(log.size(), i + 10)));
                }
                done.set(true);
                assertTrue(reads.get() > 0);
            } finally {
                reader.shutdownNow();
            }
            assertFalse(view.digest().isEmpty());
        }
    }
}
