package io.tessera.raft.group;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.rocksdb.Checkpoint;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * A small but real replicated state for tests: counters in RocksDB, written with the last applied index
 * in the same WriteBatch (fsync'd), snapshots as RocksDB checkpoints with a SHA-256 manifest.
 *
 * <p>Commands (after the stamp header): {@code add <key> <n>} adds and returns
 * {@code id=<id> term=<term> <key>=<value>}; {@code noop} returns {@code id=<id>}; anything else halts.
 */
public final class KvTarget implements ApplyTarget {
    private static final byte[] APPLIED_KEY = "\0applied".getBytes(StandardCharsets.UTF_8);
    private static final String MANIFEST = "manifest.sha256";

    private final Path dir;
    private final Predicate<String> haltOn;
    private final AtomicInteger snapshotLoads = new AtomicInteger();
    private RocksDB db;
    private volatile long lastApplied;

    public KvTarget(Path dir) {
        this(dir, cmd -> false);
    }

    /** {@code haltOn} decides, per command text, to raise ApplyHaltException (a storage failure stand-in). */
    KvTarget(Path dir, Predicate<String> haltOn) {
        this.dir = dir;
        this.haltOn = haltOn;
    }

    @Override
    public void open() throws IOException {
        RocksDB.loadLibrary();
        Files.createDirectories(dir);
        try (Options o = new Options().setCreateIfMissing(true)) {
            db = RocksDB.open(o, dbDir().toString());
            byte[] v = db.get(APPLIED_KEY);
            lastApplied = v == null ? 0 : ByteBuffer.wrap(v).getLong();
        } catch (RocksDBException e) {
            throw new IOException(e);
        }
    }

    private Path dbDir() {
        return dir.resolve("db");
    }

    @Override
    public List<byte[]> applyBatch(List<Entry> entries) throws ApplyHaltException {
        Map<String, Long> pending = new HashMap<>();
        List<byte[]> results = new ArrayList<>(entries.size());
        try (WriteBatch wb = new WriteBatch(); WriteOptions wo = new WriteOptions().setSync(true)) {
            for (Entry e : entries) {
                ByteBuffer b = ByteBuffer.wrap(e.command());
                long id = b.getLong();
                b.getLong(); // time: not used by these commands
                long term = b.getLong();
                String text = StandardCharsets.UTF_8.decode(b).toString();
                if (haltOn.test(text)) {
                    throw new ApplyHaltException("refusing entry " + e.index() + ": " + text);
                }
                String[] p = text.split(" ");
                if (p[0].equals("noop")) {
                    results.add(utf8("id=" + id));
                } else if (p[0].equals("add") && p.length == 3) {
                    long v = pending.containsKey(p[1]) ? pending.get(p[1]) : get(p[1]);
                    v += Long.parseLong(p[2]);
                    pending.put(p[1], v);
                    wb.put(utf8(p[1]), ByteBuffer.allocate(8).putLong(v).array());
                    results.add(utf8("id=" + id + " term=" + term + " " + p[1] + "=" + v));
                } else {
                    throw new ApplyHaltException("undecodable command at " + e.index() + ": " + text);
                }
            }
            long last = entries.get(entries.size() - 1).index();
            wb.put(APPLIED_KEY, ByteBuffer.allocate(8).putLong(last).array());
            db.write(wo, wb);
            lastApplied = last;
        } catch (RocksDBException | RuntimeException e) {
            throw new ApplyHaltException("store failure", e);
        }
        return results;
    }

    long get(String key) throws RocksDBException {
        byte[] v = db.get(utf8(key));
        return v == null ? 0 : ByteBuffer.wrap(v).getLong();
    }

    /** Read from any thread (RocksDB is thread-safe); the test's "local view". */
    synchronized long value(String key) {
        try {
            return get(key);
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public long lastAppliedIndex() {
        return lastApplied;
    }

    int snapshotLoads() {
        return snapshotLoads.get();
    }

    /** SHA-256 over every key and value, including the applied index. */
    synchronized String digest() {
        try (RocksIterator it = db.newIterator()) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (it.seekToFirst(); it.isValid(); it.next()) {
                md.update(it.key());
                md.update((byte) 0);
                md.update(it.value());
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void saveSnapshot(Path out) throws IOException {
        Path cp = out.resolve("db");
        try (Checkpoint c = Checkpoint.create(db)) {
            c.createCheckpoint(cp.toString());
        } catch (RocksDBException e) {
            throw new IOException(e);
        }
        Properties manifest = new Properties();
        for (Path f : files(cp)) {
            manifest.setProperty(cp.relativize(f).toString(), sha256(f));
        }
        try (var w = Files.newBufferedWriter(out.resolve(MANIFEST))) {
            manifest.store(w, null);
        }
    }

    @Override
    public synchronized void loadSnapshot(Path in) throws IOException {
        Path cp = in.resolve("db");
        Properties manifest = new Properties();
        try (var r = Files.newBufferedReader(in.resolve(MANIFEST))) {
            manifest.load(r);
        }
        List<Path> files = files(cp);
        if (files.size() != manifest.size()) {
            throw new IOException("snapshot has " + files.size() + " files, manifest " + manifest.size());
        }
        for (Path f : files) {
            if (!sha256(f).equals(manifest.getProperty(cp.relativize(f).toString()))) {
                throw new IOException("checksum mismatch " + f);
            }
        }
        db.close();
        deleteTree(dbDir());
        Files.createDirectories(dbDir());
        for (Path f : files) {
            Path dst = dbDir().resolve(cp.relativize(f).toString());
            Files.createDirectories(dst.getParent());
            Files.copy(f, dst);
        }
        open();
        snapshotLoads.incrementAndGet();
    }

    @Override
    public synchronized void close() {
        if (db != null) {
            try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
                db.flush(fo);
            } catch (RocksDBException ignored) {
                // close anyway; the WAL is synced on every write
            }
            db.close();
            db = null;
        }
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static String sha256(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
