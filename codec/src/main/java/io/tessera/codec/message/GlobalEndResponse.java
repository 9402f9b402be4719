package io.tessera.codec.message;

/**
 * Response to GlobalCommit/Rollback/Status/Report (types 8/10/16/18): TxResultHeader + globalStatus.
 * globalStatus is always set, also on failure (the TM reads it regardless).
 */
public record GlobalEndResponse(GlobalEndRequest.Kind kind, ResultCode resultCode, String msg,
        TransactionExceptionCode exceptionCode, GlobalStatus globalStatus) implements TransactionResponse {
    @Override
    public int typeCode() {
        return kind.responseType;
    }
}
