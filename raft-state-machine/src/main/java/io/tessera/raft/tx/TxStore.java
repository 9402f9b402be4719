package io.tessera.raft.tx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * Owns the RocksDB instance under {@code root/db}: lifecycle, atomic batches, consistent reads,
 * checkpoints and directory swaps.
 *
 * <p>Durability: WAL on, fsync off. The Raft log is the durable record; after a crash jraft replays
 * every entry after {@link #lastAppliedIndex()}, and because the index is written in the same WriteBatch
 * as the data, the store is always at an exact entry boundary (see docs/architecture.md, Recovery model).
 *
 * <p>Threading: batches and lifecycle calls come from the single apply thread; {@link #read} may be
 * called from any thread. The read/write lock only guards the DB handle against close/swap.
 */
final class TxStore implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    private final Path root;
    private final ReentrantReadWriteLock handleLock = new ReentrantReadWriteLock();
    private DBOptions dbOptions;
    private ColumnFamilyOptions cfOptions;
    private WriteOptions writeOptions;
    private RocksDB db;
    private final Map<Table, ColumnFamilyHandle> handles = new EnumMap<>(Table.class);
    private List<ColumnFamilyHandle> allHandles = new ArrayList<>();
    private volatile long lastApplied;

    TxStore(Path root) {
        this.root = root;
    }

    Path dbDir() {
        return root.resolve("db");
    }

    void open() throws IOException {
        handleLock.writeLock().lock();
        try {
            Files.createDirectories(root);
            recoverInterruptedSwap();
            openDb();
        } finally {
            handleLock.writeLock().unlock();
        }
    }

    /**
     * A crash during {@link #replaceWith} can leave {@code db.old} without {@code db}: the old state is
     * complete (it was closed cleanly before the rename), so it is put back; the snapshot load is
     * simply redone by jraft.
     */
    private void recoverInterruptedSwap() throws IOException {
        Path old = root.resolve("db.old");
        if (Files.exists(old)) {
            if (Files.exists(dbDir())) {
                deleteTree(old);
            } else {
                Files.move(old, dbDir(), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        deleteTree(root.resolve("db.incoming"));
    }

    private void openDb() throws IOException {
        dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
        cfOptions = new ColumnFamilyOptions();
        writeOptions = new WriteOptions().setSync(false).setDisableWAL(false);
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
        for (Table t : Table.values()) {
            descriptors.add(new ColumnFamilyDescriptor(t.cfNameBytes(), cfOptions));
        }
        List<ColumnFamilyHandle> opened = new ArrayList<>();
        try {
            db = RocksDB.open(dbOptions, dbDir().toString(), descriptors, opened);
        } catch (RocksDBException e) {
            closeOptions();
            throw new IOException("cannot open transaction store at " + dbDir() + ": " + e.getMessage(), e);
        }
        allHandles = opened;
        for (int i = 0; i < Table.values().length; i++) {
            handles.put(Table.values()[i], opened.get(i + 1));
        }
        try {
            byte[] v = db.get(handles.get(Table.META), StoreKeys.LAST_APPLIED);
            lastApplied = v == null ? 0 : StoreKeys.longOf(v);
        } catch (RocksDBException | StoreException e) {
            closeDb();
            throw new IOException("cannot read last applied index from " + dbDir(), e);
        }
    }

    long lastAppliedIndex() {
        return lastApplied;
    }

    /** RocksDB's properties for monitoring; {@link StoreStats#CLOSED} while the store is closed. Any thread. */
    StoreStats stats() {
        handleLock.readLock().lock();
        try {
            RocksDB current = db;
            if (current == null) {
                return StoreStats.CLOSED;
            }
            long sst = 0;
            long mem = 0;
            for (ColumnFamilyHandle h : allHandles) {
                sst += property(current, h, "rocksdb.live-sst-files-size");
                mem += property(current, h, "rocksdb.cur-size-all-mem-tables");
            }
            return new StoreStats(sst, mem, property(current, handles.get(Table.GLOBALS), "rocksdb.estimate-num-keys"),
                    property(current, handles.get(Table.BRANCHES), "rocksdb.estimate-num-keys"),
                    property(current, handles.get(Table.LOCKS), "rocksdb.estimate-num-keys"),
                    property(current, null, "rocksdb.is-write-stopped") != 0,
                    property(current, null, "rocksdb.actual-delayed-write-rate"));
        } finally {
            handleLock.readLock().unlock();
        }
    }

    private static long property(RocksDB db, ColumnFamilyHandle cf, String name) {
        try {
            return cf == null ? db.getLongProperty(name) : db.getLongProperty(cf, name);
        } catch (RocksDBException e) {
            // A figure RocksDB cannot give is shown as 0; monitoring never fails the node.
            return 0;
        }
    }

    /**
     * Builds the console index of a store that has none (written before it existed, or loaded from such a
     * snapshot), in one batch, before any entry is applied; the applied index is unchanged.
     */
    void ensureConsoleIndex() {
        RocksDB current = requireOpen();
        try {
            if (current.get(handles.get(Table.META), ConsoleIndex.BUILT) != null) {
                return;
            }
        } catch (RocksDBException e) {
            throw new StoreException("read of the console index mark failed", e);
        }
        try (BatchKv batch = newBatch()) {
            ConsoleIndex.rebuild(batch);
            current.write(writeOptions, batch.writeBatch());
        } catch (RocksDBException e) {
            throw new StoreException("write of the console index failed", e);
        }
    }

    /** A batch for one applyBatch call; commit it with {@link #commit}. */
    BatchKv newBatch() {
        RocksDB current = requireOpen();
        return new BatchKv(current, handles);
    }

    /** Writes the batch and the new last applied index atomically. */
    void commit(BatchKv batch, long appliedIndex) {
        batch.put(Table.META, StoreKeys.LAST_APPLIED, StoreKeys.longValue(appliedIndex));
        try {
            requireOpen().write(writeOptions, batch.writeBatch());
        } catch (RocksDBException e) {
            throw new StoreException("write of batch up to index " + appliedIndex + " failed", e);
        }
        lastApplied = appliedIndex;
    }

    /** Runs {@code reader} against one consistent point-in-time view; safe from any thread. */
    <T> T read(Function<Kv, T> reader) {
        handleLock.readLock().lock();
        try {
            try (SnapshotKv kv = new SnapshotKv(requireOpen(), handles)) {
                return reader.apply(kv);
            }
        } finally {
            handleLock.readLock().unlock();
        }
    }

    /** RocksDB checkpoint (flushes the memtable, hard-links SST files) into {@code target}, which must not exist. */
    void checkpoint(Path target) throws IOException {
        try (Checkpoint cp = Checkpoint.create(requireOpen())) {
            cp.createCheckpoint(target.toString());
        } catch (RocksDBException e) {
            throw new IOException("checkpoint into " + target + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Replaces the store with the verified database directory {@code incoming} (a private copy on the
     * same file system). Order matters for crash safety: close, rename current to db.old, rename
     * incoming to db, reopen, delete db.old (see {@link #recoverInterruptedSwap}).
     */
    void replaceWith(Path incoming) throws IOException {
        handleLock.writeLock().lock();
        try {
            closeDb();
            Path old = root.resolve("db.old");
            deleteTree(old);
            Files.move(dbDir(), old, StandardCopyOption.ATOMIC_MOVE);
            Files.move(incoming, dbDir(), StandardCopyOption.ATOMIC_MOVE);
            try {
                openDb();
            } catch (IOException e) {
                // Verified files that RocksDB still refuses: put the previous state back and report.
                Path failed = root.resolve("db.failed");
                deleteTree(failed);
                Files.move(dbDir(), failed, StandardCopyOption.ATOMIC_MOVE);
                Files.move(old, dbDir(), StandardCopyOption.ATOMIC_MOVE);
                openDb();
                throw new IOException("snapshot database could not be opened (kept in " + failed
                        + "); previous state restored", e);
            }
            deleteTree(old);
        } finally {
            handleLock.writeLock().unlock();
        }
    }

    Path root() {
        return root;
    }

    private RocksDB requireOpen() {
        RocksDB current = db;
        if (current == null) {
            throw new StoreException("transaction store is closed");
        }
        return current;
    }

    @Override
    public void close() {
        handleLock.writeLock().lock();
        try {
            closeDb();
        } finally {
            handleLock.writeLock().unlock();
        }
    }

    private void closeDb() {
        if (db != null) {
            for (ColumnFamilyHandle h : allHandles) {
                h.close();
            }
            handles.clear();
            allHandles = new ArrayList<>();
            db.close();
            db = null;
        }
        closeOptions();
    }

    private void closeOptions() {
        if (writeOptions != null) {
            writeOptions.close();
            writeOptions = null;
        }
        if (dbOptions != null) {
            dbOptions.close();
            dbOptions = null;
        }
        if (cfOptions != null) {
            cfOptions.close();
            cfOptions = null;
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
