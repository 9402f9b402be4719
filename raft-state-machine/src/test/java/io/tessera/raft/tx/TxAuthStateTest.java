package io.tessera.raft.tx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.codec.message.BranchType;
import io.tessera.raft.group.ApplyTarget.Entry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;

/** The replicated control-port auth state: determinism, digest, snapshots, stores written before it existed. */
@Timeout(60)
class TxAuthStateTest {
    @TempDir
    Path tmp;

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    /** One "log": some transactions, the first key, a rotation, credentials for both roles. */
    private static List<Entry> log(Harness h, byte[] secondKey) {
        List<io.tessera.raft.proto.TxCommand> drafts = List.of(
                h.commands.begin("10.0.0.1:8091", "app", "grp", "a", 60_000),
                h.commands.setTokenKey(filled(32, 1), "node1: first leader", true),
                h.commands.setTokenKey(filled(32, 2), "node2: first leader", true),
                h.commands.setTokenKey(secondKey, "admin 'ops'", false),
                h.commands.setCredentials(ControlRole.CLIENT, "seata-client", filled(16, 3), filled(32, 4), 100_000,
                        "admin 'ops'"),
                h.commands.setCredentials(ControlRole.ADMIN, "ops", filled(16, 5), filled(32, 6), 100_000, "admin 'ops'"));
        List<Entry> entries = new ArrayList<>();
        long index = 1;
        for (io.tessera.raft.proto.TxCommand d : drafts) {
            h.at(1_000 * index);
            entries.add(new Entry(index++, 1, h.stamp(d)));
        }
        return entries;
    }

    @Test
    void replicasApplyingTheSameEntriesHoldTheSameKeyAndDigestWhateverTheBatching() throws Exception {
        try (Harness a = new Harness(tmp.resolve("a")); Harness b = new Harness(tmp.resolve("b"));
                Harness c = new Harness(tmp.resolve("c"))) {
            List<Entry> log = log(a, filled(32, 9));
            a.machine.applyBatch(log);
            for (Entry e : log) {
                b.machine.applyBatch(List.of(e));
            }
            assertEquals(a.view().digest(), b.view().digest());
            TokenKeyRecord key = b.view().tokenKey().orElseThrow();
            assertEquals(2, key.generation(), "bootstrap once, then one rotation");
            assertArrayEquals(filled(32, 9), key.key());
            assertEquals(4_000, key.setTime(), "the stamped time of the rotation");
            assertEquals("admin 'ops'", key.requestedBy());
            ControlCredentialsRecord admin = b.view().controlCredentials(ControlRole.ADMIN).orElseThrow();
            assertEquals("ops", admin.username());
            assertArrayEquals(filled(32, 6), admin.hash());
            assertEquals(100_000, admin.iterations());

            // A different key is a different state.
            c.machine.applyBatch(log(c, filled(32, 8)));
            assertNotEquals(a.view().digest(), c.view().digest());
        }
    }

    @Test
    void digestOfAStateWithoutAuthEntriesIsWhatItWasBeforeTheTableExisted() throws Exception {
        try (Harness h = new Harness(tmp.resolve("h"))) {
            h.apply(h.commands.begin("10.0.0.1:8091", "app", "grp", "a", 60_000));
            String withEmptyAuth = h.view().digest();
            assertEquals(legacyDigest(h), withEmptyAuth, "an empty auth table adds nothing to the digest");
            h.apply(h.commands.setTokenKey(filled(32, 1), "t", true));
            assertNotEquals(withEmptyAuth, h.view().digest(), "the key is part of the state digest");
        }
    }

    /** The digest as computed before the auth table: every other table's name and entries. */
    private static String legacyDigest(Harness h) {
        return h.machine.store().read(kv -> {
            try {
                var md = java.security.MessageDigest.getInstance("SHA-256");
                for (Table t : Table.values()) {
                    if (t == Table.META || t == Table.AUTH || t == Table.MEMBERS) {
                        continue;
                    }
                    // The console index came later too (named only when it holds something), but a Begin fills it.
                    boolean[] named = {!t.addedLater()};
                    if (named[0]) {
                        md.update(t.cfName().getBytes(StandardCharsets.UTF_8));
                    }
                    kv.scan(t, new byte[0], (k, v) -> {
                        if (!named[0]) {
                            md.update(t.cfName().getBytes(StandardCharsets.UTF_8));
                            named[0] = true;
                        }
                        md.update(java.nio.ByteBuffer.allocate(4).putInt(k.length).array());
                        md.update(k);
                        md.update(java.nio.ByteBuffer.allocate(4).putInt(v.length).array());
                        md.update(v);
                        return true;
                    });
                }
                return java.util.HexFormat.of().formatHex(md.digest());
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void snapshotRoundTripKeepsKeyAndCredentials() throws Exception {
        Path snap = tmp.resolve("snap");
        Files.createDirectories(snap);
        try (Harness a = new Harness(tmp.resolve("a")); Harness b = new Harness(tmp.resolve("b"))) {
            a.machine.applyBatch(log(a, filled(32, 7)));
            a.machine.saveSnapshot(snap);
            b.apply(b.commands.setTokenKey(filled(32, 0x55), "b's own", true));

            b.machine.loadSnapshot(snap);
            assertEquals(a.view().digest(), b.view().digest());
            assertArrayEquals(filled(32, 7), b.view().tokenKey().orElseThrow().key(), "the read API follows the load");
            assertEquals(2, b.view().tokenKey().orElseThrow().generation());
            assertEquals("seata-client", b.view().controlCredentials(ControlRole.CLIENT).orElseThrow().username());
        }
        // and a restart reads it back from the store
        try (Harness again = new Harness(tmp.resolve("b"))) {
            assertArrayEquals(filled(32, 7), again.view().tokenKey().orElseThrow().key());
            assertEquals("ops", again.view().controlCredentials(ControlRole.ADMIN).orElseThrow().username());
        }
    }

    /** A data directory written before the auth column family existed opens, and takes its first key. */
    @Test
    void aStoreWithoutTheAuthColumnFamilyOpensAndTakesAKey() throws Exception {
        Path dir = tmp.resolve("old");
        String digest;
        String xid;
        try (Harness h = new Harness(dir)) {
            xid = h.apply(h.commands.begin("10.0.0.1:8091", "app", "grp", "a", 60_000)).xid();
            h.apply(h.commands.register(xid, BranchType.TCC, "res", null, "app:1.1.1.1:1", null));
            digest = h.view().digest();
        }
        dropAuthColumnFamily(dir.resolve("db"));

        try (Harness h = new Harness(dir)) {
            assertEquals(2, h.machine.lastAppliedIndex());
            assertEquals(digest, h.view().digest());
            assertTrue(h.view().tokenKey().isEmpty());
            assertTrue(h.view().global(xid).isPresent());
            assertTrue(h.apply(h.commands.setTokenKey(filled(32, 1), "first leader", true)).applied());
            assertEquals(1, h.view().tokenKey().orElseThrow().generation());
        }
    }

    private static void dropAuthColumnFamily(Path db) throws Exception {
        List<byte[]> names = RocksDB.listColumnFamilies(new org.rocksdb.Options(), db.toString());
        assertTrue(names.stream().anyMatch(n -> new String(n, StandardCharsets.UTF_8).equals("auth")));
        List<ColumnFamilyDescriptor> descriptors = names.stream().map(ColumnFamilyDescriptor::new).toList();
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions(); RocksDB rocks = RocksDB.open(options, db.toString(), descriptors, handles)) {
            for (ColumnFamilyHandle h : handles) {
                if (new String(h.getName(), StandardCharsets.UTF_8).equals("auth")) {
                    rocks.dropColumnFamily(h);
                }
            }
            handles.forEach(ColumnFamilyHandle::close);
        }
        List<byte[]> after = RocksDB.listColumnFamilies(new org.rocksdb.Options(), db.toString());
        assertFalse(after.stream().anyMatch(n -> new String(n, StandardCharsets.UTF_8).equals("auth")));
    }

    @Test
    void theStamperRefusesMalformedAuthDrafts() {
        try (Harness h = new Harness(tmp.resolve("s"))) {
            assertThrows(IllegalArgumentException.class, () -> h.stamp(h.commands.setTokenKey(filled(16, 1), "x", false)));
            assertThrows(IllegalArgumentException.class, () -> h.stamp(h.commands.setCredentials(ControlRole.ADMIN, " ops",
                    filled(16, 1), filled(32, 1), 100_000, "x")));
            assertThrows(IllegalArgumentException.class, () -> h.stamp(h.commands.setCredentials(ControlRole.ADMIN, "ops",
                    filled(16, 1), filled(31, 1), 100_000, "x")));
            assertThrows(IllegalArgumentException.class, () -> h.stamp(h.commands.setCredentials(ControlRole.ADMIN, "ops",
                    filled(16, 1), filled(32, 1), 10, "x")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
