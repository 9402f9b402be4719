package io.tessera.raft.tx;

import io.tessera.codec.message.GlobalStatus;

/** What is kept of an ended transaction for the retention period: its final status and end time. */
public record EndedRecord(String xid, long transactionId, GlobalStatus finalStatus, long endTime) {
}
