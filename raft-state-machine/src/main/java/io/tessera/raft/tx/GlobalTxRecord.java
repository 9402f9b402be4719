package io.tessera.raft.tx;

import io.tessera.codec.message.GlobalStatus;

/** A live (not yet ended) global transaction. {@code applicationData} may be null. */
public record GlobalTxRecord(
        long transactionId,
        String xid,
        String applicationId,
        String transactionServiceGroup,
        String name,
        long timeoutMillis,
        long beginTime,
        long deadline,
        GlobalStatus status,
        String applicationData) {
}
