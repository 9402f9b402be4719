package io.tessera.raft.tx;

import com.google.protobuf.ByteString;
import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.raft.proto.BeginGlobal;
import io.tessera.raft.proto.BranchPhaseTwoResult;
import io.tessera.raft.proto.BranchPhaseTwoResults;
import io.tessera.raft.proto.DecideGlobal;
import io.tessera.raft.proto.Decision;
import io.tessera.raft.proto.EndGlobal;
import io.tessera.raft.proto.Noop;
import io.tessera.raft.proto.ParkGlobal;
import io.tessera.raft.proto.PurgeEnded;
import io.tessera.raft.proto.RegisterBranch;
import io.tessera.raft.proto.ReportBranch;
import io.tessera.raft.proto.ReportGlobal;
import io.tessera.raft.proto.SetCredentials;
import io.tessera.raft.proto.SetTokenKey;
import io.tessera.raft.proto.TxCommand;
import java.util.List;

/**
 * Builds command drafts: typed, unstamped {@link TxCommand}s that the leader's {@link TxCommandStamper}
 * completes; they are serialised only for the log and for forwarding. Null strings are allowed where
 * Seata allows null (lockKey, applicationData).
 */
public final class TxCommands {

    public TxCommand begin(String xidPrefix, String applicationId, String transactionServiceGroup, String name,
            long timeoutMillis) {
        return begin(xidPrefix, applicationId, transactionServiceGroup, name, timeoutMillis, null);
    }

    public TxCommand begin(String xidPrefix, String applicationId, String transactionServiceGroup, String name,
            long timeoutMillis, String applicationData) {
        BeginGlobal.Builder b = BeginGlobal.newBuilder()
                .setXidPrefix(xidPrefix)
                .setApplicationId(nn(applicationId))
                .setTransactionServiceGroup(nn(transactionServiceGroup))
                .setName(nn(name))
                .setTimeoutMillis(timeoutMillis);
        if (applicationData != null) {
            b.setApplicationData(applicationData);
        }
        return TxCommand.newBuilder().setBegin(b).build();
    }

    public TxCommand register(String xid, BranchType type, String resourceId, String lockKey, String clientId,
            String applicationData) {
        RegisterBranch.Builder b = RegisterBranch.newBuilder()
                .setXid(xid)
                .setBranchType(type.code())
                .setResourceId(nn(resourceId))
                .setClientId(nn(clientId));
        if (lockKey != null) {
            b.setLockKey(lockKey);
        }
        if (applicationData != null) {
            b.setApplicationData(applicationData);
        }
        return TxCommand.newBuilder().setRegister(b).build();
    }

    public TxCommand report(String xid, long branchId, BranchStatus status, String applicationData) {
        ReportBranch.Builder b = ReportBranch.newBuilder().setXid(xid).setBranchId(branchId).setBranchStatus(status.code());
        if (applicationData != null) {
            b.setApplicationData(applicationData);
        }
        return TxCommand.newBuilder().setReport(b).build();
    }

    public TxCommand commit(String xid) {
        return decide(xid, Decision.COMMIT);
    }

    public TxCommand rollback(String xid) {
        return decide(xid, Decision.ROLLBACK);
    }

    /** Timeout rollback, proposed by the leader's timeout driver for a Begin transaction past its deadline. */
    public TxCommand timeout(String xid) {
        return decide(xid, Decision.TIMEOUT_ROLLBACK);
    }

    private TxCommand decide(String xid, Decision d) {
        return TxCommand.newBuilder().setDecide(DecideGlobal.newBuilder().setXid(xid).setDecision(d)).build();
    }

    /** Saga GlobalReport. */
    public TxCommand reportGlobal(String xid, GlobalStatus status) {
        return TxCommand.newBuilder()
                .setReportGlobal(ReportGlobal.newBuilder().setXid(xid).setGlobalStatus(status.code()))
                .build();
    }

    public TxCommand phaseTwoResult(String xid, long branchId, BranchStatus status) {
        return TxCommand.newBuilder()
                .setPhaseTwo(BranchPhaseTwoResult.newBuilder().setXid(xid).setBranchId(branchId).setBranchStatus(status.code()))
                .build();
    }

    /**
     * One phase-two round of {@code xid} in one entry: applied exactly like one {@link #phaseTwoResult}
     * per element, in list order, with one result for the round (the global's status afterwards;
     * {@code count} = answers applied).
     *
     * @throws IllegalArgumentException if {@code results} is empty
     */
    public TxCommand phaseTwoResults(String xid, List<BranchResult> results) {
        if (results.isEmpty()) {
            throw new IllegalArgumentException("no phase-two results for " + xid);
        }
        BranchPhaseTwoResults.Builder b = BranchPhaseTwoResults.newBuilder().setXid(xid);
        for (BranchResult r : results) {
            b.addResults(io.tessera.raft.proto.BranchResult.newBuilder()
                    .setBranchId(r.branchId()).setBranchStatus(r.status().code()));
        }
        return TxCommand.newBuilder().setPhaseTwoBatch(b).build();
    }

    /**
     * Phase two gives up: the global is kept, parked in {@code status} (CommitRetryTimeout or
     * RollbackRetryTimeout), because {@code retryTimeoutMillis} passed since it began. {@code releaseLocks}:
     * Seata's rollback-retry-timeout-unlock-enable.
     */
    public TxCommand park(String xid, GlobalStatus status, long retryTimeoutMillis, boolean releaseLocks) {
        return TxCommand.newBuilder().setPark(ParkGlobal.newBuilder().setXid(xid).setStatus(status.code())
                .setRetryTimeoutMillis(retryTimeoutMillis).setReleaseLocks(releaseLocks)).build();
    }

    /** Forced end (CommitRetryTimeout, RollbackRetryTimeout, CommitFailed, RollbackFailed, TimeoutRollbackFailed). */
    public TxCommand end(String xid, GlobalStatus finalStatus) {
        return TxCommand.newBuilder()
                .setEnd(EndGlobal.newBuilder().setXid(xid).setFinalStatus(finalStatus.code()))
                .build();
    }

    /** Removes ended records older than {@code retentionMillis} (at most {@code maxCount}; 0 = all). */
    public TxCommand purgeEnded(long retentionMillis, int maxCount) {
        return TxCommand.newBuilder()
                .setPurge(PurgeEnded.newBuilder().setRetentionMillis(retentionMillis).setMaxCount(maxCount))
                .build();
    }

    /**
     * A new token-signing key for the control port. {@code key} must come from a SecureRandom on the
     * proposing node ({@link AuthLimits#TOKEN_KEY_BYTES} bytes); {@code onlyIfAbsent} is the first
     * leader's bootstrap (applied only while the cluster has no key), otherwise it is a rotation.
     */
    public TxCommand setTokenKey(byte[] key, String requestedBy, boolean onlyIfAbsent) {
        return TxCommand.newBuilder().setSetTokenKey(SetTokenKey.newBuilder()
                .setKey(ByteString.copyFrom(key))
                .setRequestedBy(nn(requestedBy))
                .setOnlyIfAbsent(onlyIfAbsent)).build();
    }

    /**
     * Credentials for a control-port role: the salt from the proposer's SecureRandom, the hash
     * PBKDF2-HMAC-SHA256(password, salt, iterations) computed by the proposer.
     */
    public TxCommand setCredentials(ControlRole role, String username, byte[] salt, byte[] hash, int iterations,
            String requestedBy) {
        return TxCommand.newBuilder().setSetCredentials(SetCredentials.newBuilder()
                .setRole(role.proto())
                .setUsername(nn(username))
                .setSalt(ByteString.copyFrom(salt))
                .setHash(ByteString.copyFrom(hash))
                .setIterations(iterations)
                .setRequestedBy(nn(requestedBy))).build();
    }

    /** A member directory entry (node id and endpoints), replacing the node id's previous one. */
    public TxCommand setMember(String nodeId, String host, int controlPort, int transactionPort, int raftPort,
            String requestedBy) {
        return TxCommand.newBuilder().setSetMember(io.tessera.raft.proto.SetMember.newBuilder()
                .setNodeId(nn(nodeId))
                .setHost(nn(host))
                .setControlPort(controlPort)
                .setTransactionPort(transactionPort)
                .setRaftPort(raftPort)
                .setRequestedBy(nn(requestedBy))).build();
    }

    /** Deletes the member directory entry of {@code nodeId}. */
    public TxCommand removeMember(String nodeId, String requestedBy) {
        return TxCommand.newBuilder().setSetMember(io.tessera.raft.proto.SetMember.newBuilder()
                .setNodeId(nn(nodeId))
                .setRemove(true)
                .setRequestedBy(nn(requestedBy))).build();
    }

    /**
     * An operator's console action on {@code xid} ({@code branchId} for branch actions, else 0), recorded
     * with {@code requestedBy}. {@code fromFailed}: RESEND_GLOBAL as changeGlobalStatus (from a retry timeout)
     * rather than sendCommitOrRollback.
     */
    public TxCommand console(io.tessera.raft.proto.ConsoleActionKind kind, String xid, long branchId,
            boolean fromFailed, String requestedBy) {
        return TxCommand.newBuilder().setConsole(io.tessera.raft.proto.ConsoleAction.newBuilder()
                .setKind(kind)
                .setXid(nn(xid))
                .setBranchId(branchId)
                .setFromFailed(fromFailed)
                .setRequestedBy(nn(requestedBy))).build();
    }

    public TxCommand noop() {
        return TxCommand.newBuilder().setNoop(Noop.getDefaultInstance()).build();
    }

    private static String nn(String s) {
        return s == null ? "" : s;
    }
}
