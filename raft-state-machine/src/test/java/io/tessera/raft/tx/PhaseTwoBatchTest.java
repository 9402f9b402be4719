package io.tessera.raft.tx;

import io.tessera.raft.proto.TxCommand;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.message.TransactionExceptionCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** BranchPhaseTwoResults against real RocksDB: one round per entry behaves like one answer per entry. */
@Timeout(120)
class PhaseTwoBatchTest {
    private static final BranchStatus[] ANSWERS = {BranchStatus.PhaseTwo_Committed, BranchStatus.PhaseTwo_Rollbacked,
        BranchStatus.PhaseTwo_CommitFailed_Retryable, BranchStatus.PhaseTwo_RollbackFailed_Retryable,
        BranchStatus.PhaseTwo_CommitFailed_Unretryable, BranchStatus.PhaseTwo_RollbackFailed_Unretryable,
        BranchStatus.PhaseTwo_CommitFailed_XAER_NOTA_Retryable};

    @TempDir
    Path tmp;

    private record Tx(String xid, List<Long> branches) {
    }

    /**
     * Two stores fed the same seeded workload; every phase-two round goes to one as a single
     * BranchPhaseTwoResults entry and to the other as one BranchPhaseTwoResult entry per answer (same
     * stamp time). The stores must end up identical, and the round's result must say what the last
     * single said (or the first refusal when nothing applied).
     */
    @Test
    void oneRoundPerEntryEqualsOneAnswerPerEntry() throws Exception {
        Random rnd = new Random(7);
        try (Harness batched = new Harness(tmp.resolve("batched")); Harness singles = new Harness(tmp.resolve("singles"))) {
            List<Tx> txs = new ArrayList<>();
            long now = 1000;
            int rounds = 0;
            for (int i = 0; i < 1500; i++) {
                now += rnd.nextInt(500);
                batched.at(now);
                singles.at(now);
                int op = rnd.nextInt(10);
                if (txs.isEmpty() || op == 0) {
                    TxCommand d = batched.commands.begin("10.0.0.1:8091", "app", "grp", "t" + i, 100 + rnd.nextInt(3000));
                    TxOutcome a = batched.apply(d);
                    assertEquals(a, singles.apply(d));
                    txs.add(new Tx(a.xid(), new ArrayList<>()));
                    continue;
                }
                Tx tx = txs.get(rnd.nextInt(txs.size()));
                if (op <= 3) {
                    BranchType type = rnd.nextInt(3) == 0 ? BranchType.XA : rnd.nextBoolean() ? BranchType.TCC : BranchType.AT;
                    TxCommand d = batched.commands.register(tx.xid(), type, "db" + rnd.nextInt(2),
                            "t:" + rnd.nextInt(30), "app:1.1.1.1:1", null);
                    TxOutcome a = batched.apply(d);
                    assertEquals(a, singles.apply(d));
                    if (a.applied()) {
                        tx.branches().add(a.branchId());
                    }
                } else if (op <= 5) {
                    TxCommand d = rnd.nextInt(3) == 0 ? batched.commands.rollback(tx.xid())
                            : rnd.nextInt(4) == 0 ? batched.commands.timeout(tx.xid()) : batched.commands.commit(tx.xid());
                    assertEquals(batched.apply(d), singles.apply(d));
                } else {
                    List<BranchResult> round = new ArrayList<>();
                    int n = 1 + rnd.nextInt(3);
                    for (int k = 0; k < n; k++) {
                        long id = tx.branches().isEmpty() || rnd.nextInt(10) == 0 ? 999_999
                                : tx.branches().get(rnd.nextInt(tx.branches().size()));
                        round.add(new BranchResult(id, ANSWERS[rnd.nextInt(ANSWERS.length)]));
                    }
                    TxOutcome whole = batched.apply(batched.commands.phaseTwoResults(tx.xid(), round));
                    TxOutcome lastApplied = null;
                    TxOutcome firstRefusal = null;
                    int applied = 0;
                    for (BranchResult r : round) {
                        TxOutcome o = singles.apply(singles.commands.phaseTwoResult(tx.xid(), r.branchId(), r.status()));
                        if (o.applied()) {
                            applied++;
                            lastApplied = o;
                        } else if (firstRefusal == null) {
                            firstRefusal = o;
                        }
                    }
                    if (lastApplied == null) {
                        assertEquals(firstRefusal, whole);
                    } else {
                        rounds++;
                        assertTrue(whole.success() && whole.applied(), whole.toString());
                        assertEquals(lastApplied.globalStatus(), whole.globalStatus());
                        assertEquals(lastApplied.transactionId(), whole.transactionId());
                        assertEquals(applied, whole.count());
                    }
                }
                if (i % 100 == 0) {
                    assertEquals(singles.view().digest(), batched.view().digest(), "diverged at step " + i);
                }
            }
            assertTrue(rounds > 50, "too few applied rounds: " + rounds);
            assertEquals(singles.view().digest(), batched.view().digest());
            for (Tx tx : txs) {
                assertEquals(singles.view().status(tx.xid()), batched.view().status(tx.xid()));
                assertEquals(singles.view().branches(tx.xid()), batched.view().branches(tx.xid()));
            }
        }
    }

    @Test
    void twoBranchesCommittedInOneEntryEndTheGlobal() throws Exception {
        try (Harness h = new Harness(tmp)) {
            String xid = h.apply(h.commands.begin("10.0.0.1:8091", "app", "grp", "tcc", 60_000)).xid();
            long b1 = h.apply(h.commands.register(xid, BranchType.TCC, "r1", null, "app:1.1.1.1:1", null)).branchId();
            long b2 = h.apply(h.commands.register(xid, BranchType.TCC, "r2", null, "app:1.1.1.1:1", null)).branchId();
            assertEquals(GlobalStatus.Committing, h.apply(h.commands.commit(xid)).globalStatus());
            h.at(5000);
            TxOutcome o = h.apply(h.commands.phaseTwoResults(xid, List.of(
                    new BranchResult(b1, BranchStatus.PhaseTwo_Committed), new BranchResult(b2, BranchStatus.PhaseTwo_Committed))));
            assertTrue(o.success() && o.applied());
            assertEquals(GlobalStatus.Committed, o.globalStatus());
            assertEquals(2, o.count());
            assertEquals(xid, o.xid());
            assertEquals(Optional.empty(), h.view().global(xid));
            assertEquals(GlobalStatus.Committed, h.view().ended(xid).orElseThrow().finalStatus());
            assertEquals(5000, h.view().ended(xid).orElseThrow().endTime());
            assertEquals(List.of(), h.view().branches(xid));
        }
    }

    @Test
    void unknownXidOrBranchIsRefusedAndChangesNothing() throws Exception {
        try (Harness h = new Harness(tmp)) {
            String xid = h.apply(h.commands.begin("10.0.0.1:8091", "app", "grp", "tcc", 60_000)).xid();
            h.apply(h.commands.register(xid, BranchType.TCC, "r1", null, "app:1.1.1.1:1", null));
            h.apply(h.commands.commit(xid));
            String before = h.view().digest();
            TxOutcome unknownBranch = h.apply(h.commands.phaseTwoResults(xid,
                    List.of(new BranchResult(424242, BranchStatus.PhaseTwo_Committed))));
            assertFalse(unknownBranch.success() || unknownBranch.applied());
            assertEquals(TransactionExceptionCode.BranchTransactionNotExist, unknownBranch.exceptionCode());
            assertEquals(GlobalStatus.Committing, unknownBranch.globalStatus());
            TxOutcome unknownXid = h.apply(h.commands.phaseTwoResults("10.0.0.1:8091:777",
                    List.of(new BranchResult(1, BranchStatus.PhaseTwo_Committed))));
            assertFalse(unknownXid.success() || unknownXid.applied());
            assertEquals(TransactionExceptionCode.GlobalTransactionNotExist, unknownXid.exceptionCode());
            assertEquals(GlobalStatus.Finished, unknownXid.globalStatus());
            assertEquals(before, h.view().digest());
        }
    }

    @Test
    void emptyRoundIsRefusedBeforeProposing() throws Exception {
        try (Harness h = new Harness(tmp)) {
            assertThrows(IllegalArgumentException.class, () -> h.commands.phaseTwoResults("x", List.of()));
            TxCommand forged = io.tessera.raft.proto.TxCommand.newBuilder()
                    .setPhaseTwoBatch(io.tessera.raft.proto.BranchPhaseTwoResults.newBuilder().setXid("x")).build();
            assertThrows(IllegalArgumentException.class, () -> h.stamp(forged));
        }
    }

    /**
     * A global written before GlobalData.branch_ids existed (a branch registered, no id list) is still
     * read correctly: branches and branch lookups fall back, a later registration keeps the list
     * incomplete, and phase two ends the global as usual.
     */
    @Test
    void globalsStoredWithoutBranchIdsStillWork() throws Exception {
        try (Harness h = new Harness(tmp)) {
            String xid = h.apply(h.commands.begin("10.0.0.1:8091", "app", "grp", "old", 60_000)).xid();
            long b1 = h.apply(h.commands.register(xid, BranchType.TCC, "r1", null, "app:1.1.1.1:1", null)).branchId();
            TxStore store = h.machine.store();
            try (BatchKv batch = store.newBatch()) {
                TxTables t = new TxTables(batch);
                var g = t.global(xid);
                assertEquals(List.of(b1), g.getBranchIdsList());
                t.putGlobal(g, g.toBuilder().clearBranchIds().build());
                store.commit(batch, store.lastAppliedIndex());
            }
            assertEquals(List.of(b1), h.view().branches(xid).stream().map(BranchRecord::branchId).toList());
            long b2 = h.apply(h.commands.register(xid, BranchType.TCC, "r2", null, "app:1.1.1.1:1", null)).branchId();
            assertEquals(List.of(b1, b2), h.view().branches(xid).stream().map(BranchRecord::branchId).toList());
            assertEquals(List.of(), store.read(kv -> new TxTables(kv).global(xid)).getBranchIdsList());
            TxOutcome report = h.apply(h.commands.report(xid, b2, BranchStatus.PhaseOne_Done, null));
            assertTrue(report.applied(), report.toString());
            h.apply(h.commands.commit(xid));
            TxOutcome o = h.apply(h.commands.phaseTwoResults(xid, List.of(
                    new BranchResult(b2, BranchStatus.PhaseTwo_Committed), new BranchResult(b1, BranchStatus.PhaseTwo_Committed))));
            assertEquals(GlobalStatus.Committed, o.globalStatus());
            assertEquals(2, o.count());
        }
    }

    /** Past TxTables.POINT_READ_LIMIT registrations the branches are read by one scan; same answers. */
    @Test
    void manyBranchesKeepRegistrationOrder() throws Exception {
        try (Harness h = new Harness(tmp)) {
            String xid = h.apply(h.commands.begin("10.0.0.1:8091", "app", "grp", "big", 60_000)).xid();
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < TxTables.POINT_READ_LIMIT + 6; i++) {
                ids.add(h.apply(h.commands.register(xid, BranchType.TCC, "r" + i, null, "app:1.1.1.1:1", null)).branchId());
            }
            assertEquals(ids, h.view().branches(xid).stream().map(BranchRecord::branchId).toList());
            h.apply(h.commands.rollback(xid));
            List<BranchResult> round = new ArrayList<>();
            for (int i = ids.size() - 1; i >= 1; i--) {
                round.add(new BranchResult(ids.get(i), BranchStatus.PhaseTwo_Rollbacked));
            }
            TxOutcome most = h.apply(h.commands.phaseTwoResults(xid, round));
            assertEquals(GlobalStatus.Rollbacking, most.globalStatus());
            assertEquals(ids.size() - 1, most.count());
            assertEquals(List.of(ids.get(0)), h.view().branches(xid).stream().map(BranchRecord::branchId).toList());
            TxOutcome last = h.apply(h.commands.phaseTwoResult(xid, ids.get(0), BranchStatus.PhaseTwo_Rollbacked));
            assertEquals(GlobalStatus.Rollbacked, last.globalStatus());
        }
    }
}
