package io.tessera.raft.tx;

import java.util.Arrays;
import java.util.Map;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteBatchWithIndex;

/**
 * The apply path's view: a WriteBatchWithIndex over the live DB, so a command sees the writes of earlier
 * commands in the same applyBatch before anything is written. Discarded (closed) without writing when
 * apply halts.
 */
final class BatchKv implements Kv, AutoCloseable {
    private final RocksDB db;
    private final Map<Table, ColumnFamilyHandle> handles;
    // overwriteKey=true: required for reads/iterators that merge batch and DB.
    private final WriteBatchWithIndex batch = new WriteBatchWithIndex(true);
    private final ReadOptions readOptions = new ReadOptions();

    BatchKv(RocksDB db, Map<Table, ColumnFamilyHandle> handles) {
        this.db = db;
        this.handles = handles;
    }

    WriteBatch writeBatch() {
        return batch.getWriteBatch();
    }

    @Override
    public byte[] get(Table table, byte[] key) {
        try {
            return batch.getFromBatchAndDB(db, handles.get(table), readOptions, key);
        } catch (RocksDBException e) {
            throw new StoreException("read of " + table.cfName() + " failed", e);
        }
    }

    @Override
    public void put(Table table, byte[] key, byte[] value) {
        try {
            batch.put(handles.get(table), key, value);
        } catch (RocksDBException e) {
            throw new StoreException("batch put into " + table.cfName() + " failed", e);
        }
    }

    @Override
    public void delete(Table table, byte[] key) {
        try {
            batch.delete(handles.get(table), key);
        } catch (RocksDBException e) {
            throw new StoreException("batch delete in " + table.cfName() + " failed", e);
        }
    }

    @Override
    public void scan(Table table, byte[] prefix, Visitor visitor) {
        scanFrom(table, prefix, prefix, visitor);
    }

    @Override
    public void scanFrom(Table table, byte[] prefix, byte[] start, Visitor visitor) {
        ColumnFamilyHandle cf = handles.get(table);
        // The returned iterator owns (and closes) the base iterator.
        try (RocksIterator it = batch.newIteratorWithBase(cf, db.newIterator(cf, readOptions))) {
            for (it.seek(start); it.isValid(); it.next()) {
                byte[] key = it.key();
                if (!startsWith(key, prefix) || !visitor.visit(key, it.value())) {
                    break;
                }
            }
            checkStatus(it, table);
        }
    }

    static void checkStatus(RocksIterator it, Table table) {
        try {
            it.status();
        } catch (RocksDBException e) {
            throw new StoreException("scan of " + table.cfName() + " failed", e);
        }
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length
                && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    @Override
    public void close() {
        readOptions.close();
        batch.close();
    }
}
