package io.tessera.raft.tx;

import java.util.Map;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;

/** Read-only view pinned to one RocksDB snapshot: all reads of one call see the same applied index. */
final class SnapshotKv implements Kv, AutoCloseable {
    private final RocksDB db;
    private final Map<Table, ColumnFamilyHandle> handles;
    private final Snapshot snapshot;
    private final ReadOptions readOptions;

    SnapshotKv(RocksDB db, Map<Table, ColumnFamilyHandle> handles) {
        this.db = db;
        this.handles = handles;
        this.snapshot = db.getSnapshot();
        this.readOptions = new ReadOptions().setSnapshot(snapshot);
    }

    @Override
    public byte[] get(Table table, byte[] key) {
        try {
            return db.get(handles.get(table), readOptions, key);
        } catch (RocksDBException e) {
            throw new StoreException("read of " + table.cfName() + " failed", e);
        }
    }

    @Override
    public void put(Table table, byte[] key, byte[] value) {
        throw new UnsupportedOperationException("read-only view");
    }

    @Override
    public void delete(Table table, byte[] key) {
        throw new UnsupportedOperationException("read-only view");
    }

    @Override
    public void scan(Table table, byte[] prefix, Visitor visitor) {
        scanFrom(table, prefix, prefix, visitor);
    }

    @Override
    public void scanFrom(Table table, byte[] prefix, byte[] start, Visitor visitor) {
        try (RocksIterator it = db.newIterator(handles.get(table), readOptions)) {
            for (it.seek(start); it.isValid(); it.next()) {
                byte[] key = it.key();
                if (!BatchKv.startsWith(key, prefix) || !visitor.visit(key, it.value())) {
                    break;
                }
            }
            BatchKv.checkStatus(it, table);
        }
    }

    @Override
    public void close() {
        readOptions.close();
        db.releaseSnapshot(snapshot);
    }
}
