package io.tessera.codec.message;

/** RM→TC BranchCommitResponse (4) or BranchRollbackResponse (6). */
public record BranchEndResponse(boolean commit, ResultCode resultCode, String msg,
        TransactionExceptionCode exceptionCode, String xid, long branchId, BranchStatus branchStatus)
        implements TransactionResponse {
    @Override
    public int typeCode() {
        return commit ? MessageTypes.BRANCH_COMMIT_RESULT : MessageTypes.BRANCH_ROLLBACK_RESULT;
    }
}
