package io.tessera.raft.tx;

import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.message.ResultCode;
import io.tessera.codec.message.TransactionExceptionCode;
import io.tessera.raft.proto.TxResult;

/** Builders for {@link TxResult}. */
final class Results {
    private Results() {
    }

    static TxResult.Builder ok(String xid, GlobalStatus status, boolean applied) {
        return TxResult.newBuilder()
                .setResultCode(ResultCode.Success.code())
                .setXid(xid == null ? "" : xid)
                .setGlobalStatus(status.code())
                .setApplied(applied);
    }

    static TxResult.Builder reject(TransactionExceptionCode code, String xid, GlobalStatus status, String message) {
        return TxResult.newBuilder()
                .setResultCode(ResultCode.Failed.code())
                .setExceptionCode(code.code())
                .setMessage(message)
                .setXid(xid == null ? "" : xid)
                .setGlobalStatus(status.code())
                .setApplied(false);
    }
}
