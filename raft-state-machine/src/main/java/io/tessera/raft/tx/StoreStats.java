package io.tessera.raft.tx;

/**
 * RocksDB's own figures for the transaction store, read from its properties (no scan): what monitoring
 * shows of the store. Key counts are RocksDB's estimates ({@code rocksdb.estimate-num-keys}): close after
 * compaction, rough while deletions are still in the memtable.
 *
 * @param sstBytes total size of the live SST files
 * @param memtableBytes size of all memtables
 * @param globalsEstimate live (not ended) global transactions, estimated
 * @param branchesEstimate branches of live transactions, estimated
 * @param locksEstimate held row locks, estimated
 * @param writeStopped RocksDB stopped writes (too many L0 files or memtables): apply waits
 * @param delayedWriteRate the rate (bytes/s) writes are slowed to, 0 while they are not slowed
 */
public record StoreStats(long sstBytes, long memtableBytes, long globalsEstimate, long branchesEstimate,
        long locksEstimate, boolean writeStopped, long delayedWriteRate) {

    public static final StoreStats CLOSED = new StoreStats(0, 0, 0, 0, 0, false, 0);
}
