package io.tessera.codec.message;

public record GlobalLockQueryResponse(ResultCode resultCode, String msg, TransactionExceptionCode exceptionCode,
        boolean lockable) implements TransactionResponse {
    @Override
    public int typeCode() {
        return MessageTypes.GLOBAL_LOCK_QUERY_RESULT;
    }
}
