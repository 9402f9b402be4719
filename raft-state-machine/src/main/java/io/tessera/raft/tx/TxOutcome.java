package io.tessera.raft.tx;

import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.message.ResultCode;
import io.tessera.codec.message.TransactionExceptionCode;

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
     * The status a TM should receive for GlobalCommit: Seata answers Committed for an AsyncCommitting
     * transaction (its branches commit in the background; the TM's work is done).
     */
    public GlobalStatus commitReplyStatus() {
        return globalStatus == GlobalStatus.AsyncCommitting ? GlobalStatus.Committed : globalStatus;
    }
}
