package io.tessera.codec.message;

/** Wire order differs from field order here: status precedes resourceId, branchType is last (§6.4.5). */
public record BranchReportRequest(String xid, long branchId, BranchStatus status, String resourceId,
        String applicationData, BranchType branchType) implements Request {
    @Override
    public int typeCode() {
        return MessageTypes.BRANCH_STATUS_REPORT;
    }
}
