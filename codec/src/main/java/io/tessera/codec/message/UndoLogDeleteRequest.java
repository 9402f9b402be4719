package io.tessera.codec.message;

/** TC→RM, oneway. */
public record UndoLogDeleteRequest(BranchType branchType, String resourceId, short saveDays) implements Request {
    @Override
    public int typeCode() {
        return MessageTypes.RM_DELETE_UNDOLOG;
    }
}
