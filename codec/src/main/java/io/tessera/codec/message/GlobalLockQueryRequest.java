package io.tessera.codec.message;

/** Byte-identical layout to BranchRegisterRequest; only the type code differs. */
public record GlobalLockQueryRequest(String xid, BranchType branchType, String resourceId, String lockKey,
        String applicationData) implements Request {
    @Override
    public int typeCode() {
        return MessageTypes.GLOBAL_LOCK_QUERY;
    }
}
