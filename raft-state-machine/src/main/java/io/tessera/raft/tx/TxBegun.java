package io.tessera.raft.tx;

/**
 * A global transaction began (its BeginGlobal entry applied on this replica): what monitoring labels a
 * transaction with. Not a {@link TxEvent}, which is about decisions and ends only.
 *
 * @param beginTime the leader's stamped begin time (epoch ms)
 */
public record TxBegun(String xid, String applicationId, String transactionServiceGroup, String name,
        long beginTime) {
}
