package io.tessera.codec.message;

/**
 * Seata's TransactionExceptionCode. The SEATA codec writes the ordinal (spec §6.6.2); the order of
 * constants is therefore part of the wire format and must never change.
 */
public enum TransactionExceptionCode {
    Unknown,
    BeginFailed,
    LockKeyConflict,
    IO,
    BranchRollbackFailed_Retriable,
    BranchRollbackFailed_Unretriable,
    BranchRegisterFailed,
    BranchReportFailed,
    LockableCheckFailed,
    BranchTransactionNotExist,
    GlobalTransactionNotExist,
    GlobalTransactionNotActive,
    GlobalTransactionStatusInvalid,
    FailedToSendBranchCommitRequest,
    FailedToSendBranchRollbackRequest,
    FailedToAddBranch,
    FailedLockGlobalTranscation,
    FailedWriteSession,
    FailedStore,
    NotRaftLeader,
    LockKeyConflictFailFast,
    TransactionTimeout,
    CommitHeuristic,
    Broken;

    private static final TransactionExceptionCode[] VALUES = values();

    public int code() {
        return ordinal();
    }

    public static TransactionExceptionCode of(int code) {
        if (code < 0 || code >= VALUES.length) {
            throw new IllegalArgumentException("unknown TransactionExceptionCode " + code);
        }
        return VALUES[code];
    }
}
