package io.tessera.raft.tx;

import io.tessera.codec.message.GlobalStatus;

/**
 * A console query over retained transactions (Seata's GlobalSessionParam). Null = no filter. Matching is
 * exact (Seata's db mode, the store Seata pages through), not the substring match of its memory modes.
 * {@code timeStart}/{@code timeEnd} (epoch ms) bound the begin time at second granularity, both inclusive.
 * {@code pageNum} is 1-based.
 */
public record GlobalQuery(String xid, String applicationId, GlobalStatus status, String transactionName,
        Long timeStart, Long timeEnd, boolean withBranch, int pageNum, int pageSize) {
    public GlobalQuery {
        if (pageNum < 1 || pageSize < 1) {
            throw new IllegalArgumentException("pageNum and pageSize must be at least 1");
        }
    }
}
