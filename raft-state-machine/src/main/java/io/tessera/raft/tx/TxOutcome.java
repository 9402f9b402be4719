package io.tessera.raft.tx;

import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.message.ResultCode;
import io.tessera.codec.message.TransactionExceptionCode;
import io.tessera.raft.proto.TxResult;

/**
 * A decoded {@code TxResult}. {@code globalStatus} is the concerned transaction's status after the command
 * (its final status if it has ended; Finished when the xid is unknown). {@code applied} is false for
 * rejections and idempotent repeats.
 */
public record TxOutcome(
        ResultCode resultCode,
        TransactionExceptionCode exceptionCode,
        String message,
        GlobalStatus globalStatus,
        String xid,
        long transactionId,
        long branchId,
        boolean applied,
        int count) {

    public boolean success() {
        return resultCode == ResultCode.Success;
    }

    /**
     * A result that came back from the leader as bytes (a forwarded proposal): parsed once, here.
     *
     * @throws IllegalArgumentException if {@code result} is not a TxResult
     */
    public static TxOutcome decode(byte[] result) {
        try {
            return of(TxResult.parseFrom(result));
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("undecodable TxResult", e);
        }
    }

    /** The typed view of a result as the state machine built it. */
    public static TxOutcome of(TxResult r) {
        return new TxOutcome(ResultCode.of(r.getResultCode()), TransactionExceptionCode.of(r.getExceptionCode()),
                r.getMessage(), GlobalStatus.of(r.getGlobalStatus()), r.getXid(), r.getTransactionId(),
                r.getBranchId(), r.getApplied(), r.getCount());
    }
}
