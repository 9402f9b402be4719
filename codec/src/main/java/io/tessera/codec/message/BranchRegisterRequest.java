package io.tessera.codec.message;

public record BranchRegisterRequest(String xid, BranchType branchType, String resourceId, String lockKey,
        String applicationData) implements Request {
    @Override
    public int typeCode() {
        return MessageTypes.BRANCH_REGISTER;
    }
}
