package io.tessera.raft.tx;

/** One held AT row lock as the console lists it, with its holder's service group and begin time. */
public record LockRow(String xid, long transactionId, long branchId, String resourceId, String tableName, String pk,
        String transactionServiceGroup, long beginTime) {
}
