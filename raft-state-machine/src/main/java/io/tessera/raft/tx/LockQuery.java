package io.tessera.raft.tx;

/**
 * A console query over the AT row locks (Seata's GlobalLockParam). Null = no filter; matching is exact;
 * the time bounds apply to the holding transaction's begin time, at second granularity, both inclusive.
 */
public record LockQuery(String xid, String tableName, Long transactionId, Long branchId, String pk,
        String resourceId, Long timeStart, Long timeEnd, int pageNum, int pageSize) {
    public LockQuery {
        if (pageNum < 1 || pageSize < 1) {
            throw new IllegalArgumentException("pageNum and pageSize must be at least 1");
        }
    }
}
