package io.tessera.raft.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalStatus;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(60)
class TxSnapshotTest {
    @TempDir
    Path tmp;

    /** Some live transactions with locks, some ended ones; returns the live AT xid. */
    private static String populate(Harness h, int n) throws Exception {
        String keep = null;
        for (int i = 0; i < n; i++) {
            h.at(1000 + i);
            String xid = h.apply(h.commands.begin("10.0.0.1:8091", "app", "grp", "tx" + i, 60_000)).xid();
            h.apply(h.commands.register(xid, BranchType.AT, "jdbc:db", "t:" + i + ",k" + i, "app:1.1.1.1:1", null));
            if (i % 3 == 0) {
                h.apply(h.commands.commit(xid));
            } else if (i % 3 == 1) {
                h.apply(h.commands.rollback(xid));
            } else {
                keep = xid;
            }
        }
        return keep;
    }

    @Test
    void roundTripRestoresIdenticalStateThatKeepsApplyingIdentically() throws Exception {
        Path snap = tmp.resolve("snap");
        Files.createDirectories(snap);
        try (Harness a = new Harness(tmp.resolve("a")); Harness b = new Harness(tmp.resolve("b"))) {
            String live = populate(a, 30);
            a.machine.saveSnapshot(snap);
            assertTrue(Files.exists(snap.resolve(SnapshotFiles.MANIFEST)));

            populate(b, 3); // b has different state that the load must replace
            b.machine.loadSnapshot(snap);
            assertEquals(a.view().digest(), b.view().digest());
            assertEquals(a.machine.lastAppliedIndex(), b.machine.lastAppliedIndex());
            assertEquals(a.view().global(live), b.view().global(live));
            assertEquals(a.view().branches(live), b.view().branches(live));

            // The same stamped entries on both replicas keep them equal.
            long next = a.machine.lastAppliedIndex() + 1;
            byte[] cmd = a.stamp(a.commands.commit(live));
            var entry = List.of(new io.tessera.raft.group.ApplyTarget.Entry(next, 1, cmd));
            assertEquals(TxOutcome.of(a.machine.applyBatch(entry).get(0)),
                    TxOutcome.of(b.machine.applyBatch(entry).get(0)));
            assertEquals(a.view().digest(), b.view().digest());
            assertEquals(GlobalStatus.AsyncCommitting, b.view().global(live).orElseThrow().status());
        }
    }

    @Test
    void loadingOwnOlderSnapshotRollsTheLiveStoreBack() throws Exception {
        Path snap = tmp.resolve("snap");
        Files.createDirectories(snap);
        String digest;
        long index;
        try (Harness a = new Harness(tmp.resolve("a"))) {
            populate(a, 5);
            digest = a.view().digest();
            index = a.machine.lastAppliedIndex();
            a.machine.saveSnapshot(snap);
            populate(a, 5);
            assertNotEquals(digest, a.view().digest());
            a.machine.loadSnapshot(snap);
            assertEquals(digest, a.view().digest());
            assertEquals(index, a.machine.lastAppliedIndex());
        }
        // And the swapped directory is what a restart opens.
        try (Harness again = new Harness(tmp.resolve("a"))) {
            assertEquals(index, again.machine.lastAppliedIndex(), "index of the snapshot survives reopen");
            assertEquals(digest, again.view().digest());
        }
    }

    @Test
    void viewReadsKeepWorkingWhileSnapshotsAreLoaded() throws Exception {
        Path snapA = tmp.resolve("snapA");
        Path snapB = tmp.resolve("snapB");
        Files.createDirectories(snapA);
        Files.createDirectories(snapB);
        String live;
        try (Harness a = new Harness(tmp.resolve("a"))) {
            live = populate(a, 9);
            a.machine.saveSnapshot(snapA);
            populate(a, 9);
            a.machine.saveSnapshot(snapB);
        }
        try (Harness b = new Harness(tmp.resolve("b"))) {
            var done = new java.util.concurrent.atomic.AtomicBoolean();
            var pool = java.util.concurrent.Executors.newSingleThreadExecutor();
            try {
                var reads = pool.submit(() -> {
                    int n = 0;
                    while (!done.get()) {
                        // Each read sees one whole state: either snapshot, never a half-swapped store.
                        assertEquals(64, b.view().digest().length());
                        b.view().global(live);
                        n++;
                    }
                    return n;
                });
                for (int i = 0; i < 6; i++) {
                    b.machine.loadSnapshot(i % 2 == 0 ? snapA : snapB);
                }
                done.set(true);
                assertTrue(reads.get(30, java.util.concurrent.TimeUnit.SECONDS) > 0);
            } finally {
                pool.shutdownNow();
            }
            assertEquals(GlobalStatus.Begin, b.view().global(live).orElseThrow().status());
        }
    }

    @Test
    void openRepairsASnapshotSwapInterruptedBetweenTheRenames() throws Exception {
        Path data = tmp.resolve("a");
        String digest;
        long index;
        try (Harness a = new Harness(data)) {
            populate(a, 6);
            digest = a.view().digest();
            index = a.machine.lastAppliedIndex();
        }
        // A crash after "db -> db.old" and before "db.incoming -> db".
        Files.move(data.resolve("db"), data.resolve("db.old"));
        Files.createDirectories(data.resolve("db.incoming"));
        Files.writeString(data.resolve("db.incoming").resolve("000001.sst"), "partial copy");
        try (Harness again = new Harness(data)) {
            assertEquals(index, again.machine.lastAppliedIndex());
            assertEquals(digest, again.view().digest());
        }
        assertTrue(Files.notExists(data.resolve("db.old")));
        assertTrue(Files.notExists(data.resolve("db.incoming")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"flip,sst", "flip,CURRENT", "flip,MANIFEST", "truncate,sst", "truncate,OPTIONS",
            "delete,sst", "delete,MANIFEST", "delete,tx-manifest", "flip,tx-manifest"})
    void corruptSnapshotIsRefusedAndStateUntouched(String damage, String which) throws Exception {
        Path snap = tmp.resolve("snap");
        Files.createDirectories(snap);
        try (Harness a = new Harness(tmp.resolve("a"))) {
            populate(a, 20);
            a.machine.saveSnapshot(snap);
        }
        // A real copy: the checkpoint hard-links the source's SST files.
        Path copy = tmp.resolve("copy");
        copyTree(snap, copy);
        Path victim = pick(copy, which);
        switch (damage) {
            case "flip" -> {
                try (RandomAccessFile f = new RandomAccessFile(victim.toFile(), "rw")) {
                    long pos = f.length() / 2;
                    f.seek(pos);
                    int b = f.read();
                    f.seek(pos);
                    f.write(b ^ 0x40);
                }
            }
            case "truncate" -> {
                try (RandomAccessFile f = new RandomAccessFile(victim.toFile(), "rw")) {
                    f.setLength(f.length() - 1);
                }
            }
            case "delete" -> Files.delete(victim);
            default -> throw new IllegalArgumentException(damage);
        }
        try (Harness b = new Harness(tmp.resolve("b"))) {
            String live = populate(b, 4);
            String digest = b.view().digest();
            long index = b.machine.lastAppliedIndex();
            IOException e = assertThrows(IOException.class, () -> b.machine.loadSnapshot(copy));
            assertTrue(e.getMessage().contains(victim.getFileName().toString()),
                    "message names the file: " + e.getMessage());
            assertEquals(digest, b.view().digest());
            assertEquals(index, b.machine.lastAppliedIndex());
            assertEquals(GlobalStatus.Begin, b.view().global(live).orElseThrow().status());
            // Still applying.
            assertEquals(GlobalStatus.AsyncCommitting, b.apply(b.commands.commit(live)).globalStatus());
        }
    }

    private static Path pick(Path snap, String which) throws IOException {
        if (which.equals("tx-manifest")) {
            return snap.resolve(SnapshotFiles.MANIFEST);
        }
        try (Stream<Path> s = Files.list(snap)) {
            return s.filter(p -> which.equals("sst") ? p.toString().endsWith(".sst")
                            : p.getFileName().toString().startsWith(which))
                    .max(Comparator.comparingLong(TxSnapshotTest::size))
                    .orElseThrow(() -> new AssertionError("no " + which + " file in snapshot"));
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
