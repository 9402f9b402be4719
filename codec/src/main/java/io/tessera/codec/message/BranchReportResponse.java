package io.tessera.codec.message;

public record BranchReportResponse(ResultCode resultCode, String msg, TransactionExceptionCode exceptionCode)
        implements TransactionResponse {
    @Override
    public int typeCode() {
        return MessageTypes.BRANCH_STATUS_REPORT_RESULT;
    }
}
