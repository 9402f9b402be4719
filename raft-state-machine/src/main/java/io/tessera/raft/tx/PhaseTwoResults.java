package io.tessera.raft.tx;

import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.message.TransactionExceptionCode;
import io.tessera.raft.proto.BranchData;
import io.tessera.raft.proto.BranchPhaseTwoResult;
import io.tessera.raft.proto.BranchPhaseTwoResults;
import io.tessera.raft.proto.BranchResult;
import io.tessera.raft.proto.GlobalData;
import io.tessera.raft.proto.TxResult;
import java.util.List;

/**
 * What RMs answered to BranchCommit / BranchRollback (Seata doGlobalCommit / doGlobalRollback), one
 * answer per entry or one phase-two round per entry. A round is applied exactly as the same answers one
 * entry each, in list order: both go through {@link #step}.
 */
final class PhaseTwoResults {
    /** Seata's server.xaerNotaRetryTimeout default; fixed here because every replica must agree on it. */
    static final long XAER_NOTA_RETRY_TIMEOUT_MILLIS = 60_000;

    private final TxTransitions tx;

    PhaseTwoResults(TxTransitions tx) {
        this.tx = tx;
    }

    /** The outcome of one answer, and the live global row after it (null once ended or if unknown). */
    private record Step(TxResult result, GlobalData global) {
    }

    TxResult single(BranchPhaseTwoResult p, long now, TxTables t) {
        return step(p.getXid(), t.global(p.getXid()), p.getBranchId(), p.getBranchStatus(), now, t).result();
    }

    /**
     * One result for the whole round: Success with the global's status after the round, {@code applied}
     * and {@code count} = answers that changed state, when at least one did (a refused answer changes
     * nothing, as its single entry would not; the first refusal is named in the message). When none
     * did, the first refusal itself.
     */
    TxResult batch(BranchPhaseTwoResults p, long now, TxTables t) {
        String xid = p.getXid();
        GlobalData g = t.global(xid);
        if (p.getResultsCount() == 0) {
            // Drafts refuse an empty round; answer a forged one like an idempotent no-op.
            return g == null ? tx.notLive(t, xid, TransactionExceptionCode.GlobalTransactionNotExist,
                    "record phase-two results")
                    : Results.ok(xid, GlobalStatus.of(g.getStatus()), false).setTransactionId(g.getTransactionId())
                            .setMessage("no phase-two results").build();
        }
        TxResult lastApplied = null;
        TxResult firstRefusal = null;
        int applied = 0;
        for (BranchResult r : p.getResultsList()) {
            Step s = step(xid, g, r.getBranchId(), r.getBranchStatus(), now, t);
            g = s.global();
            if (s.result().getApplied()) {
                applied++;
                lastApplied = s.result();
            } else if (firstRefusal == null) {
                firstRefusal = s.result();
            }
        }
        if (lastApplied == null) {
            return firstRefusal;
        }
        // Refused answers change nothing, so the status after the last applied one is the final one.
        TxResult.Builder out = Results.ok(xid, GlobalStatus.of(lastApplied.getGlobalStatus()), true)
                .setTransactionId(lastApplied.getTransactionId()).setCount(applied);
        if (firstRefusal != null) {
            out.setMessage((p.getResultsCount() - applied) + " of " + p.getResultsCount()
                    + " results refused, first: " + firstRefusal.getMessage());
        }
        return out.build();
    }

    /** One answer for {@code branchId}; {@code g} is the live row of {@code xid} as currently stored. */
    private Step step(String xid, GlobalData g, long branchId, int branchStatus, long now, TxTables t) {
        if (g == null) {
            return new Step(tx.notLive(t, xid, TransactionExceptionCode.GlobalTransactionNotExist,
                    "record a phase-two result"), null);
        }
        GlobalStatus status = GlobalStatus.of(g.getStatus());
        boolean committing = status.isCommitFamily();
        // Parked globals (retry timeouts) are not in phase two any more: a late answer changes nothing.
        if (!committing && !status.isRollbackFamily()) {
            return new Step(Results.reject(TransactionExceptionCode.GlobalTransactionStatusInvalid, xid, status,
                    "global transaction " + xid + " is not in phase two (" + status + ")")
                    .setTransactionId(g.getTransactionId()).build(), g);
        }
        BranchData b = t.branch(g, branchId);
        if (b == null) {
            return new Step(Results.reject(TransactionExceptionCode.BranchTransactionNotExist, xid, status,
                    "branch " + branchId + " of " + xid + " does not exist")
                    .setTransactionId(g.getTransactionId()).setBranchId(branchId).build(), g);
        }
        BranchStatus bs = TxTransitions.branchStatus(branchStatus);
        if (bs == null) {
            return new Step(Results.reject(TransactionExceptionCode.BranchReportFailed, xid, status,
                    "unknown branch status " + branchStatus).build(), g);
        }
        BranchStatus done = committing ? BranchStatus.PhaseTwo_Committed : BranchStatus.PhaseTwo_Rollbacked;
        if (xaerNotaGivenUp(bs, g, now)) {
            // Seata isXaerNotaTimeout: an XA branch the RM keeps calling unknown (XAER_NOTA) long after
            // the transaction's deadline has no prepared work left; count it as done.
            bs = done;
        }
        BranchStatus giveUp = committing ? BranchStatus.PhaseTwo_CommitFailed_Unretryable
                : BranchStatus.PhaseTwo_RollbackFailed_Unretryable;
        boolean timeoutFamily = status.isTimeoutFamily();
        GlobalStatus next;
        GlobalData after = g;
        if (bs == done) {
            new LockTable(t).release(b);
            t.deleteBranch(b);
            if (!t.hasBranches(g)) {
                next = committing ? GlobalStatus.Committed
                        : timeoutFamily ? GlobalStatus.TimeoutRollbacked : GlobalStatus.Rollbacked;
                tx.endGlobal(t, g, next, now, List.of()); // none left: no need to read them again
                after = null;
            } else {
                next = status;
            }
        } else if (bs == giveUp) {
            next = committing ? GlobalStatus.CommitFailed
                    : timeoutFamily ? GlobalStatus.TimeoutRollbackFailed : GlobalStatus.RollbackFailed;
            tx.endGlobal(t, g, next, now);
            after = null;
        } else {
            // Any other answer is retried later, as in Seata's doGlobalCommit/doGlobalRollback.
            t.putBranch(b.toBuilder().setStatus(bs.code()).build());
            next = switch (status) {
                case Committing -> GlobalStatus.CommitRetrying;
                case Rollbacking -> GlobalStatus.RollbackRetrying;
                case TimeoutRollbacking -> GlobalStatus.TimeoutRollbackRetrying;
                default -> status; // already retrying, or AsyncCommitting (retried in place)
            };
            if (next != status) {
                after = PhaseTransitions.moveTo(t, g, status, next);
            }
        }
        return new Step(Results.ok(xid, next, true).setTransactionId(g.getTransactionId())
                .setBranchId(b.getBranchId()).build(), after);
    }

    private static boolean xaerNotaGivenUp(BranchStatus bs, GlobalData g, long now) {
        if (bs != BranchStatus.PhaseTwo_CommitFailed_XAER_NOTA_Retryable
                && bs != BranchStatus.PhaseTwo_RollbackFailed_XAER_NOTA_Retryable) {
            return false;
        }
        return now > g.getBeginTime() + g.getTimeoutMillis() + Math.max(XAER_NOTA_RETRY_TIMEOUT_MILLIS, g.getTimeoutMillis());
    }
}
