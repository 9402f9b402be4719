package io.tessera.raft.tx;

import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.message.TransactionExceptionCode;
import io.tessera.raft.proto.BranchData;
import io.tessera.raft.proto.DecideGlobal;
import io.tessera.raft.proto.Decision;
import io.tessera.raft.proto.EndGlobal;
import io.tessera.raft.proto.EndedData;
import io.tessera.raft.proto.GlobalData;
import io.tessera.raft.proto.ReportGlobal;
import io.tessera.raft.proto.TxResult;
import java.util.List;
import java.util.Set;

/** Decisions (commit / rollback / timeout), phase-two answers, Saga reports and forced ends. */
final class PhaseTransitions {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PhaseTransitions.class);
    static final Set<GlobalStatus> COMMIT_FAMILY =
            Set.of(GlobalStatus.Committing, GlobalStatus.CommitRetrying, GlobalStatus.AsyncCommitting);
    private static final Set<GlobalStatus> COMMIT_ENDS =
            Set.of(GlobalStatus.Committed, GlobalStatus.CommitFailed, GlobalStatus.CommitRetryTimeout);
    private static final Set<GlobalStatus> ROLLBACK_ENDS = Set.of(GlobalStatus.Rollbacked, GlobalStatus.RollbackFailed,
            GlobalStatus.TimeoutRollbacked, GlobalStatus.TimeoutRollbackFailed, GlobalStatus.RollbackRetryTimeout);
    private static final Set<GlobalStatus> TIMEOUT_ENDS =
            Set.of(GlobalStatus.TimeoutRollbacked, GlobalStatus.TimeoutRollbackFailed);
    static final Set<GlobalStatus> TIMEOUT_FAMILY = Set.of(GlobalStatus.TimeoutRollbacking,
            GlobalStatus.TimeoutRollbackRetrying);

    private final TxTransitions tx;

    PhaseTransitions(TxTransitions tx) {
        this.tx = tx;
    }

    TxResult decide(DecideGlobal d, long now, TxTables t) {
        String xid = d.getXid();
        GlobalData g = t.global(xid);
        if (g == null) {
            EndedData e = t.ended(xid);
            if (e == null) {
                return tx.notLive(t, xid, TransactionExceptionCode.GlobalTransactionStatusInvalid, "decide");
            }
            GlobalStatus fin = GlobalStatus.of(e.getStatus());
            boolean sameWay = switch (d.getDecision()) {
                case COMMIT -> COMMIT_ENDS.contains(fin);
                case ROLLBACK -> ROLLBACK_ENDS.contains(fin);
                case TIMEOUT_ROLLBACK -> fin == GlobalStatus.TimeoutRollbacked || fin == GlobalStatus.TimeoutRollbackFailed
                        || fin == GlobalStatus.RollbackRetryTimeout;
                default -> false;
            };
            if (sameWay) {
                return Results.ok(xid, fin, false).setTransactionId(e.getTransactionId()).build();
            }
            TxResult rejected = tx.notLive(t, xid, TransactionExceptionCode.GlobalTransactionStatusInvalid,
                    d.getDecision().name());
            if (d.getDecision() == Decision.COMMIT && !TIMEOUT_ENDS.contains(fin)) {
                // A TM reads only the status of a commit answer and takes anything but Finished and the
                // timeout family as success: "Rollbacked" would tell it the commit worked. Seata answers
                // Finished here (session gone); the message keeps the true final status.
                rejected = rejected.toBuilder().setGlobalStatus(GlobalStatus.Finished.code()).build();
            }
            return rejected;
        }
        GlobalStatus status = GlobalStatus.of(g.getStatus());
        TxResult r = switch (d.getDecision()) {
            case COMMIT -> commit(g, status, now, t);
            case ROLLBACK -> rollback(g, status, now, t, false);
            case TIMEOUT_ROLLBACK -> timeout(g, status, now, t);
            default -> throw new IllegalStateException("decision not set for " + xid);
        };
        // Observers (the phase-two driver) start work on applied decisions; say so in the result so
        // they need not decode the command again.
        return r.getApplied() ? r.toBuilder().setDecided(true).build() : r;
    }

    private TxResult commit(GlobalData g, GlobalStatus status, long now, TxTables t) {
        if (status == GlobalStatus.Begin) {
            if (now >= g.getDeadline()) {
                // Seata answers TimeoutRollbacking and lets its timeout checker roll back; we make that
                // transition here, in the log, so the answer and the state can never disagree.
                TxResult r = rollback(g, status, now, t, true);
                return r.toBuilder().setResultCode(0).setExceptionCode(TransactionExceptionCode.TransactionTimeout.code())
                        .setMessage("global transaction " + g.getXid() + " timed out before commit").build();
            }
            List<BranchData> branches = dropSkippedBranches(g, t, true);
            // Seata closeAndClean(): once committing, AT row locks are no longer needed (undo logs are
            // only deleted in phase two), so every lock of the global is released at the decision.
            LockTable locks = new LockTable(t);
            boolean allAt = true;
            for (BranchData b : branches) {
                if (b.getOwnedRowsCount() > 0) {
                    locks.release(b);
                    t.putBranch(b.toBuilder().clearOwnedRows().build());
                }
                allAt &= b.getBranchType() == BranchType.AT.code();
            }
            if (branches.isEmpty()) {
                tx.endGlobal(t, g, GlobalStatus.Committed, now);
                return applied(g, GlobalStatus.Committed);
            }
            GlobalStatus next = allAt ? GlobalStatus.AsyncCommitting : GlobalStatus.Committing;
            moveTo(t, g, status, next);
            return applied(g, next);
        }
        if (COMMIT_FAMILY.contains(status)) {
            return Results.ok(g.getXid(), status, false).setTransactionId(g.getTransactionId()).build();
        }
        return Results.reject(TransactionExceptionCode.GlobalTransactionStatusInvalid, g.getXid(), status,
                "cannot commit global transaction " + g.getXid() + " in status " + status)
                .setTransactionId(g.getTransactionId()).build();
    }

    private TxResult rollback(GlobalData g, GlobalStatus status, long now, TxTables t, boolean timedOut) {
        if (status == GlobalStatus.Begin) {
            List<BranchData> branches = dropSkippedBranches(g, t, false);
            if (branches.isEmpty()) {
                GlobalStatus fin = timedOut ? GlobalStatus.TimeoutRollbacked : GlobalStatus.Rollbacked;
                tx.endGlobal(t, g, fin, now);
                return applied(g, fin);
            }
            // Locks stay until each branch has rolled back; their holder is now "rolling back", which
            // is what turns conflicts of autoCommit=false requesters into LockKeyConflictFailFast.
            GlobalStatus next = timedOut ? GlobalStatus.TimeoutRollbacking : GlobalStatus.Rollbacking;
            moveTo(t, g, status, next);
            return applied(g, next);
        }
        boolean inRollback = LockTable.isRollbackFamily(status);
        if (inRollback && (!timedOut || TIMEOUT_FAMILY.contains(status))) {
            return Results.ok(g.getXid(), status, false).setTransactionId(g.getTransactionId()).build();
        }
        return Results.reject(TransactionExceptionCode.GlobalTransactionStatusInvalid, g.getXid(), status,
                "cannot " + (timedOut ? "time out" : "roll back") + " global transaction " + g.getXid()
                        + " in status " + status).setTransactionId(g.getTransactionId()).build();
    }

    private TxResult timeout(GlobalData g, GlobalStatus status, long now, TxTables t) {
        if (status == GlobalStatus.Begin && now < g.getDeadline()) {
            return Results.reject(TransactionExceptionCode.GlobalTransactionStatusInvalid, g.getXid(), status,
                    "global transaction " + g.getXid() + " has not reached its deadline " + g.getDeadline())
                    .setTransactionId(g.getTransactionId()).build();
        }
        return rollback(g, status, now, t, true);
    }

    /**
     * Seata removes, without sending them phase two, branches whose phase one failed (their local
     * transaction never committed) and, on commit only, XA branches that reported PhaseOne_RDONLY (a
     * read-only XA branch has nothing to commit). Doing it at the decision keeps the drivers simple.
     */
    private List<BranchData> dropSkippedBranches(GlobalData g, TxTables t, boolean committing) {
        LockTable locks = new LockTable(t);
        List<BranchData> kept = new java.util.ArrayList<>();
        for (BranchData b : t.branches(g)) {
            boolean readOnlyXa = committing && b.getStatus() == BranchStatus.PhaseOne_RDONLY.code()
                    && b.getBranchType() == BranchType.XA.code();
            if (b.getStatus() == BranchStatus.PhaseOne_Failed.code() || readOnlyXa) {
                locks.release(b);
                t.deleteBranch(b);
            } else {
                kept.add(b);
            }
        }
        return kept;
    }

    /** Seata GlobalSession.isSaga: the first branch is a SAGA branch, or no branch and a "$Saga_" name. */
    private static boolean isSaga(GlobalData g, TxTables t) {
        List<BranchData> branches = t.branches(g);
        return branches.isEmpty() ? g.getName().startsWith("$Saga_")
                : branches.get(0).getBranchType() == BranchType.SAGA.code();
    }

    /**
     * Saga GlobalReport (Seata DefaultCore.globalReport + SagaCore.doGlobalReport). For a global that is
     * not a saga Seata changes nothing and answers the current status; for an unknown xid it echoes the
     * reported status.
     */
    TxResult reportGlobal(ReportGlobal r, long now, TxTables t) {
        String xid = r.getXid();
        GlobalStatus reported;
        try {
            reported = GlobalStatus.of(r.getGlobalStatus());
        } catch (IllegalArgumentException e) {
            reported = null;
        }
        GlobalData g = t.global(xid);
        if (g == null) {
            EndedData e = t.ended(xid);
            if (e != null && reported != null) {
                GlobalStatus fin = GlobalStatus.of(e.getStatus());
                GlobalStatus want = reported == GlobalStatus.Finished ? GlobalStatus.Rollbacked : reported;
                if (fin == want || (want == GlobalStatus.Rollbacked && fin == GlobalStatus.TimeoutRollbacked)) {
                    return Results.ok(xid, fin, false).setTransactionId(e.getTransactionId()).build();
                }
            }
            TxResult r0 = tx.notLive(t, xid, TransactionExceptionCode.GlobalTransactionStatusInvalid, "report global status");
            if (e == null && reported != null) {
                r0 = r0.toBuilder().setGlobalStatus(reported.code()).build();
            }
            return r0;
        }
        GlobalStatus status = GlobalStatus.of(g.getStatus());
        if (reported == null) {
            return invalid(g, status, "unknown global status " + r.getGlobalStatus());
        }
        if (!isSaga(g, t)) {
            return Results.ok(xid, status, false).setTransactionId(g.getTransactionId())
                    .setMessage("not a saga transaction: report ignored").build();
        }
        boolean timeoutFamily = TIMEOUT_FAMILY.contains(status);
        GlobalStatus next;
        switch (reported) {
            case Committed, CommitFailed, CommitRetryTimeout, RollbackFailed, RollbackRetryTimeout,
                    TimeoutRollbacked, TimeoutRollbackFailed -> {
                next = reported;
                tx.endGlobal(t, g, next, now);
            }
            case Rollbacked, Finished -> {
                next = timeoutFamily ? GlobalStatus.TimeoutRollbacked : GlobalStatus.Rollbacked;
                tx.endGlobal(t, g, next, now);
            }
            case Committing, CommitRetrying, Rollbacking, RollbackRetrying, TimeoutRollbacking,
                    TimeoutRollbackRetrying -> {
                next = reported;
                moveTo(t, g, status, next);
            }
            default -> {
                return invalid(g, status, "global status " + reported + " cannot be reported");
            }
        }
        return applied(g, next);
    }

    /** Give-up / forced end by a driver; only ends that belong to the current phase are accepted. */
    TxResult end(EndGlobal e, long now, TxTables t) {
        String xid = e.getXid();
        GlobalStatus fin;
        try {
            fin = GlobalStatus.of(e.getFinalStatus());
        } catch (IllegalArgumentException ex) {
            fin = null;
        }
        GlobalData g = t.global(xid);
        if (g == null) {
            EndedData ended = t.ended(xid);
            if (ended != null && fin != null && ended.getStatus() == fin.code()) {
                return Results.ok(xid, fin, false).setTransactionId(ended.getTransactionId()).build();
            }
            return tx.notLive(t, xid, TransactionExceptionCode.GlobalTransactionStatusInvalid, "end");
        }
        GlobalStatus status = GlobalStatus.of(g.getStatus());
        boolean allowed = fin != null && (COMMIT_FAMILY.contains(status)
                ? fin == GlobalStatus.CommitRetryTimeout || fin == GlobalStatus.CommitFailed
                : TIMEOUT_FAMILY.contains(status)
                        ? fin == GlobalStatus.RollbackRetryTimeout || fin == GlobalStatus.TimeoutRollbackFailed
                        : LockTable.isRollbackFamily(status)
                                && (fin == GlobalStatus.RollbackRetryTimeout || fin == GlobalStatus.RollbackFailed));
        if (!allowed) {
            return invalid(g, status, "cannot end global transaction " + xid + " in status " + status + " as "
                    + (fin == null ? e.getFinalStatus() : fin));
        }
        tx.endGlobal(t, g, fin, now);
        return applied(g, fin);
    }

    /** Writes {@code g} in status {@code to} and returns the stored row. */
    static GlobalData moveTo(TxTables t, GlobalData g, GlobalStatus from, GlobalStatus to) {
        GlobalData next = g.toBuilder().setStatus(to.code()).build();
        t.putGlobal(g, next);
        // Begin -> Committing/Rollbacking is every transaction's routine path; retries and timeouts matter.
        if (to == GlobalStatus.Committing || to == GlobalStatus.AsyncCommitting || to == GlobalStatus.Rollbacking) {
            LOG.debug("global xid={} {} -> {}", g.getXid(), from, to);
        } else {
            LOG.info("global xid={} {} -> {}", g.getXid(), from, to);
        }
        return next;
    }

    private static TxResult invalid(GlobalData g, GlobalStatus status, String message) {
        return Results.reject(TransactionExceptionCode.GlobalTransactionStatusInvalid, g.getXid(), status, message)
                .setTransactionId(g.getTransactionId()).build();
    }

    private static TxResult applied(GlobalData g, GlobalStatus status) {
        return Results.ok(g.getXid(), status, true).setTransactionId(g.getTransactionId()).build();
    }
}
