package io.tessera.codec.message;

/** A response with Seata's TxResultHeader: result code, optional message, exception code. */
public sealed interface TransactionResponse extends Response permits GlobalBeginResponse,
        GlobalEndResponse, BranchRegisterResponse, BranchReportResponse, GlobalLockQueryResponse,
        BranchEndResponse {
    TransactionExceptionCode exceptionCode();
}
