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
import io.tessera.raft.proto.ParkGlobal;
import io.tessera.raft.proto.ReportGlobal;
import io.tessera.raft.proto.TxResult;
import java.util.List;

/**
 * Decisions (commit / rollback / timeout), Saga reports, parking at a retry timeout and forced ends.
 * Results carry the transaction's true status; what a client hears for it is the coordinator's reply
 * policy, not decided here.
 */
final class PhaseTransitions {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PhaseTransitions.class);

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
            if (sameWay(d.getDecision(), fin)) {
                return Results.ok(xid, fin, false).setTransactionId(e.getTransactionId()).build();
            }
            return tx.notLive(t, xid, TransactionExceptionCode.GlobalTransactionStatusInvalid, d.getDecision().name());
        }
        GlobalStatus status = GlobalStatus.of(g.getStatus());
        if (status == GlobalStatus.StopCommitOrCommitRetry || status == GlobalStatus.StopRollbackOrRollbackRetry) {
            // An operator stopped phase two's retries: the decision stands; its repeat hears the status.
            boolean same = (status == GlobalStatus.StopCommitOrCommitRetry) == (d.getDecision() == Decision.COMMIT);
            return same ? Results.ok(xid, status, false).setTransactionId(g.getTransactionId()).build()
                    : invalid(g, status, "cannot " + d.getDecision() + " global transaction " + xid + " in status " + status);
        }
        if (status.isRetryTimeout()) {
            // Parked at a retry timeout: the decision stands; a repeat of it is answered like one on the
            // ended record, anything else is refused.
            return sameWay(d.getDecision(), status)
                    ? Results.ok(xid, status, false).setTransactionId(g.getTransactionId()).build()
                    : invalid(g, status, "cannot " + d.getDecision() + " global transaction " + xid + " in status " + status);
        }
        return switch (d.getDecision()) {
            case COMMIT -> commit(g, status, now, t);
            case ROLLBACK -> rollback(g, status, now, t, false);
            case TIMEOUT_ROLLBACK -> timeout(g, status, now, t);
            default -> throw new IllegalStateException("decision not set for " + xid);
        };
    }

    /** Whether a transaction that reached {@code outcome} answers a repeat of {@code decision} with ok. */
    private static boolean sameWay(Decision decision, GlobalStatus outcome) {
        return switch (decision) {
            case COMMIT -> outcome.isCommitOutcome();
            case ROLLBACK -> outcome.isRollbackOutcome();
            case TIMEOUT_ROLLBACK -> outcome.isTimeoutOutcome() || outcome == GlobalStatus.RollbackRetryTimeout;
            default -> false;
        };
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
        if (status.isCommitFamily()) {
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
        if (status.isRollbackFamily() && (!timedOut || status.isTimeoutFamily())) {
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
        boolean timeoutFamily = status.isTimeoutFamily();
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

    /**
     * Forced end; only ends that belong to the current phase are accepted. A global parked at a retry
     * timeout ends with that same status (what an operator's "delete" will propose).
     */
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
        boolean allowed = fin != null && (status.isRetryTimeout() ? fin == status
                : status.isCommitFamily() ? fin == GlobalStatus.CommitRetryTimeout || fin == GlobalStatus.CommitFailed
                : status.isTimeoutFamily() ? fin == GlobalStatus.RollbackRetryTimeout || fin == GlobalStatus.TimeoutRollbackFailed
                : status.isRollbackFamily() && (fin == GlobalStatus.RollbackRetryTimeout || fin == GlobalStatus.RollbackFailed));
        if (!allowed) {
            return invalid(g, status, "cannot end global transaction " + xid + " in status " + status + " as "
                    + (fin == null ? e.getFinalStatus() : fin));
        }
        tx.endGlobal(t, g, fin, now);
        return applied(g, fin);
    }

    /**
     * Phase two gives up at the max retry timeout (Seata handleRetryCommitting / handleRetryRollbacking):
     * the global stays live in CommitRetryTimeout (from Committing or CommitRetrying; AsyncCommitting never
     * times out, as in Seata) or RollbackRetryTimeout (from any rollback, timeout rollbacks included), with
     * its branches, and its row locks unless {@code release_locks}. Judged against stamp_time, so it means
     * the same on every replica whatever clock the proposing leader read.
     */
    TxResult park(ParkGlobal p, long now, TxTables t) {
        String xid = p.getXid();
        GlobalStatus to;
        try {
            to = GlobalStatus.of(p.getStatus());
        } catch (IllegalArgumentException ex) {
            to = null;
        }
        GlobalData g = t.global(xid);
        if (g == null) {
            return tx.notLive(t, xid, TransactionExceptionCode.GlobalTransactionStatusInvalid, "park");
        }
        GlobalStatus status = GlobalStatus.of(g.getStatus());
        if (to != null && status == to) {
            return Results.ok(xid, status, false).setTransactionId(g.getTransactionId()).build();
        }
        boolean allowed = to == GlobalStatus.CommitRetryTimeout
                ? status == GlobalStatus.Committing || status == GlobalStatus.CommitRetrying
                : to == GlobalStatus.RollbackRetryTimeout && status.isRollbackFamily();
        if (!allowed) {
            return invalid(g, status, "cannot park global transaction " + xid + " in status " + status + " as "
                    + (to == null ? p.getStatus() : to));
        }
        if (p.getRetryTimeoutMillis() < 0 || now - g.getBeginTime() <= p.getRetryTimeoutMillis()) {
            // Clocks of successive leaders may differ; the driver simply asks again later.
            return invalid(g, status, "global transaction " + xid + " has not passed its retry timeout of "
                    + p.getRetryTimeoutMillis() + " ms since it began at " + g.getBeginTime());
        }
        if (p.getReleaseLocks()) {
            LockTable locks = new LockTable(t);
            for (BranchData b : t.branches(g)) {
                if (b.getOwnedRowsCount() > 0) {
                    locks.release(b);
                    t.putBranch(b.toBuilder().clearOwnedRows().build());
                }
            }
        }
        moveTo(t, g, status, to);
        return applied(g, to);
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
