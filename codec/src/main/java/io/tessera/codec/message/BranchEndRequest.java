package io.tessera.codec.message;

/** TC→RM BranchCommit (3) or BranchRollback (5). xid and resourceId must be non-empty (§6.4.8). */
public record BranchEndRequest(boolean commit, String xid, long branchId, BranchType branchType,
        String resourceId, String applicationData) implements Request {
    @Override
    public int typeCode() {
        return commit ? MessageTypes.BRANCH_COMMIT : MessageTypes.BRANCH_ROLLBACK;
    }
}
