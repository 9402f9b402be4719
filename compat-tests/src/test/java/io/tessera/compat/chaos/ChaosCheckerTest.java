package io.tessera.compat.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tessera.compat.chaos.ChaosClient.PhaseTwo;
import io.tessera.compat.chaos.TxHistory.Shape;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.seata.core.model.BranchType;
import org.apache.seata.core.model.GlobalStatus;
import org.junit.jupiter.api.Test;

/** The checker finds what it is meant to find, on records made up to contain each violation once. */
class ChaosCheckerTest {
    private static TxHistory tx(String xid, Shape shape, boolean commit, GlobalStatus answered) {
        TxHistory t = new TxHistory(shape, false);
        t.xid = xid;
        t.endedWithCommit = commit;
        t.endSentNanos = 1_000;
        t.answered = answered;
        return t;
    }

    @Test
    void flagsEachKindOfViolationAndNothingElse() {
        TxHistory holder = tx("holder", Shape.AT_COMMIT, true, GlobalStatus.Committed);
        holder.branches.add(new TxHistory.Branch(1, ChaosWorkload.AT, "chaos_acct:1", 100, 200));
        TxHistory intruder = tx("intruder", Shape.AT_COMMIT, true, GlobalStatus.Committed);
        intruder.endSentNanos = 2_000;
        intruder.branches.add(new TxHistory.Branch(2, ChaosWorkload.AT, "chaos_acct:1,2", 300, 400));
        TxHistory later = tx("later", Shape.AT_ROLLBACK, false, GlobalStatus.Rollbacked);
        later.endSentNanos = 3_000;
        later.branches.add(new TxHistory.Branch(3, ChaosWorkload.AT, "chaos_acct:2", 2_100, 2_200));
        TxHistory lost = tx("lost", Shape.TCC_COMMIT, true, GlobalStatus.Committed);
        TxHistory both = tx("both", Shape.TCC_ROLLBACK, false, GlobalStatus.Rollbacked);
        both.branches.add(new TxHistory.Branch(5, ChaosWorkload.TCC_1, null, 10, 20));
        Map<String, List<PhaseTwo>> calls = Map.of(
                "holder", List.of(new PhaseTwo(1_100, true, BranchType.AT, 1, ChaosWorkload.AT, "node1")),
                "intruder", List.of(new PhaseTwo(2_100, true, BranchType.AT, 2, ChaosWorkload.AT, "node1")),
                "later", List.of(new PhaseTwo(3_100, false, BranchType.AT, 3, ChaosWorkload.AT, "node1")),
                "both", List.of(new PhaseTwo(1_100, false, BranchType.TCC, 5, ChaosWorkload.TCC_1, "node1"),
                        new PhaseTwo(1_200, true, BranchType.TCC, 5, ChaosWorkload.TCC_1, "node2")));
        // Committing: the commit is decided and phase two still runs (a loaded leader); Committed later is right
        TxHistory committing = tx("committing", Shape.TCC_COMMIT, true, GlobalStatus.Committing);
        ChaosChecker checker = new ChaosChecker(List.of(holder, intruder, later, lost, both, committing),
                x -> calls.getOrDefault(x, List.of()));
        checker.finals.putAll(Map.of("holder", GlobalStatus.Committed, "intruder", GlobalStatus.Committed,
                "later", GlobalStatus.Rollbacked, "lost", GlobalStatus.Rollbacked, "both", GlobalStatus.Rollbacked, "committing", GlobalStatus.Committed));
        checker.checkOutcomes();
        checker.checkLocks();
        Set<String> flagged = checker.violations.stream().map(ChaosChecker.Violation::xid).collect(Collectors.toSet());
        assertEquals(Set.of("holder", "intruder", "lost", "both"), flagged, checker.report());
        // both: a branch with both calls, and a BranchCommit against a Rollbacked final status
        assertEquals(2, checker.violations.stream().filter(v -> v.xid().equals("both")).count(), checker.report());
    }
}
