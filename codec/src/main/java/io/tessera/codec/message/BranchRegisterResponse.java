package io.tessera.codec.message;

public record BranchRegisterResponse(ResultCode resultCode, String msg, TransactionExceptionCode exceptionCode,
        long branchId) implements TransactionResponse {
    @Override
    public int typeCode() {
        return MessageTypes.BRANCH_REGISTER_RESULT;
    }
}
