package io.tessera.raft.tx;

import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.message.TransactionExceptionCode;
import io.tessera.raft.proto.BranchData;
import io.tessera.raft.proto.ConsoleAction;
import io.tessera.raft.proto.ConsoleActionKind;
import io.tessera.raft.proto.GlobalData;
import io.tessera.raft.proto.TxResult;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operators' actions from the console (Seata 2.4+ console semantics, see docs/console-api.md). Refusals
 * carry Seata's own message followed by the transaction's state, so the console shows why. Every applied
 * action records who asked and when (the entry's stamp_time) on the transaction and logs one line.
 */
final class ConsoleTransitions {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleTransitions.class);

    private static final Set<GlobalStatus> STOP_TO_COMMIT = EnumSet.of(GlobalStatus.Committing, GlobalStatus.CommitRetrying);
    private static final Set<GlobalStatus> STOP_TO_ROLLBACK = EnumSet.of(GlobalStatus.Rollbacking,
            GlobalStatus.RollbackRetrying, GlobalStatus.TimeoutRollbacking, GlobalStatus.TimeoutRollbackRetrying);
    /** Seata's stopBranchSession: RETRY ∪ {Rollbacking, Committing, 19, 20}. */
    private static final Set<GlobalStatus> BRANCH_STOP_GLOBAL = EnumSet.of(GlobalStatus.CommitRetrying,
            GlobalStatus.RollbackRetrying, GlobalStatus.TimeoutRollbacking, GlobalStatus.TimeoutRollbackRetrying,
            GlobalStatus.Rollbacking, GlobalStatus.Committing, GlobalStatus.StopCommitOrCommitRetry,
            GlobalStatus.StopRollbackOrRollbackRetry);

    private final TxTransitions tx;

    ConsoleTransitions(TxTransitions tx) {
        this.tx = tx;
    }

    TxResult apply(ConsoleAction a, long now, TxTables t) {
        String xid = a.getXid();
        GlobalData g = t.global(xid);
        if (g == null) {
            return tx.notLive(t, xid, TransactionExceptionCode.GlobalTransactionNotExist, label(a.getKind()));
        }
        GlobalStatus status = GlobalStatus.of(g.getStatus());
        return switch (a.getKind()) {
            case STOP_GLOBAL -> stopGlobal(a, g, status, now, t);
            case START_GLOBAL -> startGlobal(a, g, status, now, t);
            case RESEND_GLOBAL -> resend(a, g, status, now, t);
            case FORCE_DELETE_GLOBAL -> forceDeleteGlobal(a, g, status, now, t);
            case STOP_BRANCH, START_BRANCH, FORCE_DELETE_BRANCH, DELETE_BRANCH_LOCKS -> branchAction(a, g, status, now, t);
            default -> refuse(g, status, "unknown console action " + a.getKindValue());
        };
    }

    private TxResult stopGlobal(ConsoleAction a, GlobalData g, GlobalStatus status, long now, TxTables t) {
        GlobalStatus to = STOP_TO_COMMIT.contains(status) ? GlobalStatus.StopCommitOrCommitRetry
                : STOP_TO_ROLLBACK.contains(status) ? GlobalStatus.StopRollbackOrRollbackRetry : null;
        if (to == null) {
            return refuse(g, status, "current global transaction status is not support stop");
        }
        return move(a, g, status, to, now, t);
    }

    private TxResult startGlobal(ConsoleAction a, GlobalData g, GlobalStatus status, long now, TxTables t) {
        GlobalStatus to = status == GlobalStatus.StopCommitOrCommitRetry ? GlobalStatus.CommitRetrying
                : status == GlobalStatus.StopRollbackOrRollbackRetry ? GlobalStatus.RollbackRetrying : null;
        if (to == null) {
            return refuse(g, status, "current global transaction status is not support start");
        }
        return move(a, g, status, to, now, t);
    }

    /**
     * sendCommitOrRollback (from the running or stopped phase two) and changeGlobalStatus (from the retry
     * timeouts; CommitFailed, RollbackFailed and TimeoutRollbacked are ended records here, with no branch
     * left to drive): back into phase two for one round that the leader runs at once and never gives up
     * (the event says "decided"); after that the usual retries and retry timeout apply.
     */
    private TxResult resend(ConsoleAction a, GlobalData g, GlobalStatus status, long now, TxTables t) {
        GlobalStatus to;
        if (a.getFromFailed()) {
            to = status == GlobalStatus.CommitRetryTimeout ? GlobalStatus.CommitRetrying
                    : status == GlobalStatus.RollbackRetryTimeout ? GlobalStatus.RollbackRetrying : null;
            if (to == null) {
                return refuse(g, status, "current global transaction status is not support to change");
            }
        } else {
            to = status == GlobalStatus.StopCommitOrCommitRetry ? GlobalStatus.CommitRetrying
                    : status == GlobalStatus.StopRollbackOrRollbackRetry ? GlobalStatus.RollbackRetrying
                    : STOP_TO_COMMIT.contains(status) || STOP_TO_ROLLBACK.contains(status) ? status : null;
            if (to == null) {
                return refuse(g, status, "current global transaction status is not support to do");
            }
        }
        return move(a, g, status, to, now, t);
    }

    private TxResult forceDeleteGlobal(ConsoleAction a, GlobalData g, GlobalStatus status, long now, TxTables t) {
        // Seata removes the session (a status query then answers Finished); the record kept says so, and who.
        tx.endGlobal(t, g, GlobalStatus.Finished, now, t.branches(g), a.getRequestedBy());
        LOG.warn("console: global transaction {} force-deleted in status {} by {}; its row locks are released",
                g.getXid(), status, a.getRequestedBy());
        return Results.ok(g.getXid(), GlobalStatus.Finished, true).setTransactionId(g.getTransactionId()).build();
    }

    private TxResult branchAction(ConsoleAction a, GlobalData g, GlobalStatus status, long now, TxTables t) {
        BranchData b = t.branch(g, a.getBranchId());
        if (b == null) {
            if (a.getKind() == ConsoleActionKind.DELETE_BRANCH_LOCKS) {
                // Seata: nothing to release is not an error.
                return Results.ok(g.getXid(), status, false).setTransactionId(g.getTransactionId()).build();
            }
            return Results.reject(TransactionExceptionCode.BranchTransactionNotExist, g.getXid(), status,
                    "branch session is not exist, may be finished: branch " + a.getBranchId() + " of " + g.getXid())
                    .setTransactionId(g.getTransactionId()).setBranchId(a.getBranchId()).build();
        }
        if (a.getKind() != ConsoleActionKind.DELETE_BRANCH_LOCKS && isSaga(g, t)) {
            return refuse(g, status, "saga can not operate branch transactions because it have no determinative role");
        }
        BranchStatus bs = BranchStatus.of(b.getStatus());
        switch (a.getKind()) {
            case STOP_BRANCH -> {
                if (bs == BranchStatus.STOP_RETRY) {
                    return refuse(g, status, "current branch session is already stop");
                }
                if (bs != BranchStatus.Unknown && bs != BranchStatus.Registered && bs != BranchStatus.PhaseOne_Done) {
                    return refuse(g, status, "current branch session is not support to stop (branch is " + bs + ")");
                }
                if (!BRANCH_STOP_GLOBAL.contains(status)) {
                    return refuse(g, status, "wrong status for global status");
                }
                t.putBranch(b.toBuilder().setStatus(BranchStatus.STOP_RETRY.code()).build());
            }
            case START_BRANCH -> {
                if (bs != BranchStatus.STOP_RETRY) {
                    return refuse(g, status, "current branch transactions status is not support to start retry"
                            + " (branch is " + bs + ")");
                }
                t.putBranch(b.toBuilder().setStatus(BranchStatus.Registered.code()).build());
            }
            case FORCE_DELETE_BRANCH -> {
                new LockTable(t).release(b);
                t.deleteBranch(b);
                if (status.isPhaseTwo() && !t.hasBranches(g)) {
                    // Nothing left for phase two: it is over (Seata's next retry finds no branch and ends it).
                    GlobalStatus fin = status.isCommitFamily() ? GlobalStatus.Committed
                            : status.isTimeoutFamily() ? GlobalStatus.TimeoutRollbacked : GlobalStatus.Rollbacked;
                    tx.endGlobal(t, g, fin, now, List.of(), a.getRequestedBy());
                    LOG.warn("console: branch {} of {} force-deleted by {}; no branch left, the global ended as {}",
                            b.getBranchId(), g.getXid(), a.getRequestedBy(), fin);
                    return Results.ok(g.getXid(), fin, true).setTransactionId(g.getTransactionId())
                            .setBranchId(b.getBranchId()).build();
                }
            }
            case DELETE_BRANCH_LOCKS -> {
                new LockTable(t).release(b);
                t.putBranch(b.toBuilder().clearOwnedRows().build());
            }
            default -> throw new IllegalStateException("not a branch action: " + a.getKind());
        }
        GlobalData next = g.toBuilder().setControlBy(a.getRequestedBy()).setControlTime(now).build();
        t.putGlobal(g, next);
        LOG.warn("console: {} of branch {} of global transaction {} (branch was {}, global {}) by {}",
                label(a.getKind()), b.getBranchId(), g.getXid(), bs, status, a.getRequestedBy());
        return Results.ok(g.getXid(), status, true).setTransactionId(g.getTransactionId())
                .setBranchId(b.getBranchId()).build();
    }

    private TxResult move(ConsoleAction a, GlobalData g, GlobalStatus from, GlobalStatus to, long now, TxTables t) {
        GlobalData next = g.toBuilder().setStatus(to.code()).setControlBy(a.getRequestedBy()).setControlTime(now)
                .build();
        t.putGlobal(g, next);
        LOG.warn("console: {} of global transaction {}: {} -> {} by {}", label(a.getKind()), g.getXid(), from, to,
                a.getRequestedBy());
        return Results.ok(g.getXid(), to, true).setTransactionId(g.getTransactionId()).build();
    }

    private static boolean isSaga(GlobalData g, TxTables t) {
        List<BranchData> branches = t.branches(g);
        return branches.isEmpty() ? g.getName().startsWith("$Saga_")
                : branches.get(0).getBranchType() == BranchType.SAGA.code();
    }

    private static TxResult refuse(GlobalData g, GlobalStatus status, String seataMessage) {
        return Results.reject(TransactionExceptionCode.GlobalTransactionStatusInvalid, g.getXid(), status,
                seataMessage + ": global transaction " + g.getXid() + " is " + status)
                .setTransactionId(g.getTransactionId()).build();
    }

    static String label(ConsoleActionKind kind) {
        return switch (kind) {
            case STOP_GLOBAL -> "stop retry";
            case START_GLOBAL -> "start retry";
            case RESEND_GLOBAL -> "resend phase two";
            case FORCE_DELETE_GLOBAL -> "force delete";
            case STOP_BRANCH -> "stop branch retry";
            case START_BRANCH -> "start branch retry";
            case FORCE_DELETE_BRANCH -> "force delete branch";
            case DELETE_BRANCH_LOCKS -> "delete branch locks";
            default -> "console action";
        };
    }
}
