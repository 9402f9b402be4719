package io.tessera.raft.tx;

import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.message.TransactionExceptionCode;
import io.tessera.raft.proto.BeginGlobal;
import io.tessera.raft.proto.BranchData;
import io.tessera.raft.proto.EndedData;
import io.tessera.raft.proto.GlobalData;
import io.tessera.raft.proto.PurgeEnded;
import io.tessera.raft.proto.RegisterBranch;
import io.tessera.raft.proto.ReportBranch;
import io.tessera.raft.proto.TxCommand;
import io.tessera.raft.proto.TxResult;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deterministic transitions: a pure function of (stored state, command). Reads no clock (the
 * command's stamp_time is "now"), no randomness, no leadership. Business rejections are results;
 * anything thrown from here halts the replica. Phase-two related commands live in
 * {@link PhaseTransitions}. Rules are documented in docs/architecture.md, "Commands".
 */
final class TxTransitions {
    private static final Logger LOG = LoggerFactory.getLogger(TxTransitions.class);

    private final PhaseTransitions phases = new PhaseTransitions(this);
    private final PhaseTwoResults answers = new PhaseTwoResults(this);
    private final AuthTransitions auth = new AuthTransitions();
    private final MemberTransitions members = new MemberTransitions();
    private final ConsoleTransitions console = new ConsoleTransitions(this);

    TxResult apply(TxCommand cmd, TxTables t) {
        long now = cmd.getStampTime();
        return switch (cmd.getBodyCase()) {
            case BEGIN -> begin(cmd.getBegin(), t);
            case REGISTER -> register(cmd.getRegister(), t);
            case REPORT -> report(cmd.getReport(), t);
            case DECIDE -> phases.decide(cmd.getDecide(), now, t);
            case REPORT_GLOBAL -> phases.reportGlobal(cmd.getReportGlobal(), now, t);
            case PHASE_TWO -> answers.single(cmd.getPhaseTwo(), now, t);
            case PHASE_TWO_BATCH -> answers.batch(cmd.getPhaseTwoBatch(), now, t);
            case END -> phases.end(cmd.getEnd(), now, t);
            case PARK -> phases.park(cmd.getPark(), now, t);
            case PURGE -> purge(cmd.getPurge(), t);
            case NOOP -> Results.ok("", GlobalStatus.UnKnown, false).build();
            case SET_TOKEN_KEY -> auth.setTokenKey(cmd.getSetTokenKey(), now, t);
            case SET_CREDENTIALS -> auth.setCredentials(cmd.getSetCredentials(), now, t);
            case SET_MEMBER -> members.setMember(cmd.getSetMember(), now, t);
            case CONSOLE -> console.apply(cmd.getConsole(), now, t);
            case BODY_NOT_SET -> throw new IllegalStateException("command without body");
        };
    }

    /** Unstamped commands can only come from a bug on the proposing side: refuse to guess. */
    static void requireStamped(TxCommand cmd) {
        if (cmd.getStampTime() <= 0) {
            throw new IllegalStateException("unstamped command " + cmd.getBodyCase());
        }
        switch (cmd.getBodyCase()) {
            case BEGIN -> {
                BeginGlobal b = cmd.getBegin();
                if (b.getTransactionId() <= 0 || b.getXid().isEmpty()) {
                    throw new IllegalStateException("unstamped BeginGlobal");
                }
            }
            case REGISTER -> {
                if (cmd.getRegister().getBranchId() <= 0) {
                    throw new IllegalStateException("unstamped RegisterBranch for " + cmd.getRegister().getXid());
                }
            }
            default -> {
            }
        }
    }

    private TxResult begin(BeginGlobal b, TxTables t) {
        // Ids are unique by construction (leader nextId); a duplicate means a replayed or forged entry.
        if (t.global(b.getXid()) != null || t.ended(b.getXid()) != null) {
            return Results.reject(TransactionExceptionCode.BeginFailed, b.getXid(), GlobalStatus.UnKnown,
                    "xid " + b.getXid() + " already exists").build();
        }
        GlobalData.Builder g = GlobalData.newBuilder()
                .setTransactionId(b.getTransactionId())
                .setXid(b.getXid())
                .setApplicationId(b.getApplicationId())
                .setTransactionServiceGroup(b.getTransactionServiceGroup())
                .setName(b.getName())
                .setTimeoutMillis(b.getTimeoutMillis())
                .setBeginTime(b.getBeginTime())
                .setDeadline(b.getDeadline())
                .setStatus(GlobalStatus.Begin.code());
        if (b.hasApplicationData()) {
            g.setApplicationData(b.getApplicationData());
        }
        t.putGlobal(null, g.build());
        LOG.debug("begin xid={} timeout={}", b.getXid(), b.getTimeoutMillis());
        return Results.ok(b.getXid(), GlobalStatus.Begin, true).setTransactionId(b.getTransactionId()).build();
    }

    private TxResult register(RegisterBranch r, TxTables t) {
        String xid = r.getXid();
        GlobalData g = t.global(xid);
        if (g == null) {
            return notLive(t, xid, TransactionExceptionCode.GlobalTransactionNotActive, "register branch");
        }
        GlobalStatus status = GlobalStatus.of(g.getStatus());
        if (status != GlobalStatus.Begin) {
            return Results.reject(TransactionExceptionCode.GlobalTransactionNotActive, xid, status,
                    "Could not register branch into global session xid = " + xid + " status = " + status
                            + ", cause by globalSession not active").build();
        }
        BranchType type;
        try {
            type = BranchType.of(r.getBranchType());
        } catch (IllegalArgumentException e) {
            return Results.reject(TransactionExceptionCode.BranchRegisterFailed, xid, status,
                    "unknown branch type " + r.getBranchType()).build();
        }
        BranchData.Builder b = BranchData.newBuilder()
                .setBranchId(r.getBranchId())
                .setXid(xid)
                .setTransactionId(g.getTransactionId())
                .setResourceId(r.getResourceId())
                .setBranchType(type.code())
                .setClientId(r.getClientId())
                .setStatus(BranchStatus.Registered.code())
                .setOrder(g.getNextBranchOrder());
        if (r.hasLockKey()) {
            b.setLockKey(r.getLockKey());
        }
        if (r.hasApplicationData()) {
            b.setApplicationData(r.getApplicationData());
        }
        // Only AT branches take row locks (Seata BranchSession.lock); TCC/SAGA/XA lock keys are stored only.
        if (type == BranchType.AT) {
            List<byte[]> rows;
            try {
                rows = LockKeys.rows(r.getResourceId(), r.hasLockKey() ? r.getLockKey() : null);
            } catch (IllegalArgumentException e) {
                return Results.reject(TransactionExceptionCode.BranchRegisterFailed, xid, status, e.getMessage()).build();
            }
            AppDataFlags flags = AppDataFlags.of(r.hasApplicationData() ? r.getApplicationData() : null);
            LockTable.Acquired got = new LockTable(t).acquire(b.build(), rows, flags.autoCommit(), flags.skipCheckLock());
            if (got.conflict() != null) {
                LOG.debug("lock conflict xid={} holder={} code={}", xid, got.holderXid(), got.conflict());
                return Results.reject(got.conflict(), xid, status, "Global lock acquire failed xid = " + xid
                        + " branchId = " + r.getBranchId() + ", held by " + got.holderXid()).build();
            }
            for (byte[] row : got.ownedRows()) {
                b.addOwnedRows(com.google.protobuf.ByteString.copyFrom(row));
            }
        }
        t.putBranch(b.build());
        t.putGlobal(g, TxTables.withBranch(g, r.getBranchId()));
        return Results.ok(xid, status, true).setTransactionId(g.getTransactionId()).setBranchId(r.getBranchId()).build();
    }

    /** BranchReport: updates the branch's status (and applicationData when sent) in any live state, as Seata does. */
    private TxResult report(ReportBranch r, TxTables t) {
        String xid = r.getXid();
        GlobalData g = t.global(xid);
        if (g == null) {
            return notLive(t, xid, TransactionExceptionCode.GlobalTransactionNotExist, "report branch");
        }
        GlobalStatus status = GlobalStatus.of(g.getStatus());
        BranchData b = t.branch(g, r.getBranchId());
        if (b == null) {
            return Results.reject(TransactionExceptionCode.BranchTransactionNotExist, xid, status,
                    "Could not found branch session xid = " + xid + " branchId = " + r.getBranchId()).build();
        }
        BranchStatus bs = branchStatus(r.getBranchStatus());
        if (bs == null) {
            return Results.reject(TransactionExceptionCode.BranchReportFailed, xid, status,
                    "unknown branch status " + r.getBranchStatus()).build();
        }
        BranchData.Builder nb = b.toBuilder().setStatus(bs.code());
        if (r.hasApplicationData()) {
            nb.setApplicationData(r.getApplicationData());
        }
        t.putBranch(nb.build());
        return Results.ok(xid, status, true).setTransactionId(g.getTransactionId()).setBranchId(b.getBranchId()).build();
    }

    private TxResult purge(PurgeEnded p, TxTables t) {
        List<EndedData> old = t.endedBefore(p.getCutoffTime(), p.getMaxCount());
        for (EndedData e : old) {
            t.deleteEnded(e);
        }
        if (!old.isEmpty()) {
            LOG.info("purged {} ended transactions ended before {}", old.size(), p.getCutoffTime());
        }
        return Results.ok("", GlobalStatus.UnKnown, !old.isEmpty()).setCount(old.size()).build();
    }

    /**
     * Rejection for a command naming an xid that is not live: an ended xid answers with its true final
     * status and {@code endedCode}; an unknown one with GlobalTransactionNotExist and Finished (what
     * Seata answers for a session it cannot find).
     */
    TxResult notLive(TxTables t, String xid, TransactionExceptionCode endedCode, String what) {
        EndedData e = t.ended(xid);
        if (e != null) {
            GlobalStatus fin = GlobalStatus.of(e.getStatus());
            return Results.reject(endedCode, xid, fin, "cannot " + what + ": global transaction " + xid
                    + " already ended as " + fin).setTransactionId(e.getTransactionId()).build();
        }
        return Results.reject(TransactionExceptionCode.GlobalTransactionNotExist, xid, GlobalStatus.Finished,
                "Could not found global transaction xid = " + xid).build();
    }

    static BranchStatus branchStatus(int code) {
        try {
            return BranchStatus.of(code);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Ends a global: releases every lock its branches own, drops the branches and the live row, and
     * leaves a compact ended record (the answer to retried commits/rollbacks/status queries until purged).
     */
    void endGlobal(TxTables t, GlobalData g, GlobalStatus finalStatus, long now) {
        endGlobal(t, g, finalStatus, now, t.branches(g));
    }

    /** {@link #endGlobal} when the caller has just read the remaining {@code branches} of {@code g}. */
    void endGlobal(TxTables t, GlobalData g, GlobalStatus finalStatus, long now, List<BranchData> branches) {
        endGlobal(t, g, finalStatus, now, branches, "");
    }

    /** {@link #endGlobal}, recording who forced the end ({@code endedBy}, empty for routine ends). */
    void endGlobal(TxTables t, GlobalData g, GlobalStatus finalStatus, long now, List<BranchData> branches,
            String endedBy) {
        LockTable locks = new LockTable(t);
        for (BranchData b : branches) {
            locks.release(b);
            t.deleteBranch(b);
        }
        t.endGlobal(g, EndedData.newBuilder()
                .setXid(g.getXid())
                .setTransactionId(g.getTransactionId())
                .setStatus(finalStatus.code())
                .setEndTime(now)
                .setApplicationId(g.getApplicationId())
                .setTransactionServiceGroup(g.getTransactionServiceGroup())
                .setName(g.getName())
                .setBeginTime(g.getBeginTime())
                .setTimeoutMillis(g.getTimeoutMillis())
                .setEndedBy(endedBy)
                .build());
        // Normal ends are routine (thousands per second on every replica); operators need the others.
        if (finalStatus == GlobalStatus.Committed || finalStatus == GlobalStatus.Rollbacked) {
            LOG.debug("global ended xid={} status={}", g.getXid(), finalStatus);
        } else {
            LOG.info("global ended xid={} status={}", g.getXid(), finalStatus);
        }
    }
}
