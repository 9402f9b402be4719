package io.tessera.codec.message;

public record GlobalBeginResponse(ResultCode resultCode, String msg, TransactionExceptionCode exceptionCode,
        String xid, String extraData) implements TransactionResponse {
    @Override
    public int typeCode() {
        return MessageTypes.GLOBAL_BEGIN_RESULT;
    }
}
