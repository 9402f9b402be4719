package io.tessera.admin;

import com.alipay.sofa.jraft.entity.LocalFileMetaOutter.LocalFileMeta;
import com.alipay.sofa.jraft.entity.RaftOutter.SnapshotMeta;
import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.storage.snapshot.local.LocalSnapshotMetaTable;
import io.tessera.codec.message.BranchType;
import io.tessera.coordinator.backup.ArchiveReader;
import io.tessera.coordinator.backup.ArchiveWriter;
import io.tessera.coordinator.backup.JraftSnapshots;
import io.tessera.coordinator.backup.StateDigest;
import io.tessera.raft.group.ApplyTarget;
import io.tessera.raft.group.CommandStamper;
import io.tessera.raft.tx.TxCommandStamper;
import io.tessera.raft.tx.TxCommands;
import io.tessera.raft.tx.TxStateMachine;
import io.tessera.coordinator.testing.TestSecurity;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Backup/restore cost for N open transactions (not a test). Each transaction is Begin with one AT
 * branch holding one row lock, applied through the real state machine. Measures, on the same files a
 * live backup would use: the checkpoint (the only pause of a live cluster), the archive (hashing +
 * deflate + the state digest), verify, restore into three data dirs, and one node's first-start load.
 *
 * <p>Run: {@code mvn -pl admin test-compile} then
 * {@code java -cp "$(cat admin/target/bench.cp):admin/target/classes:admin/target/test-classes"
 * io.tessera.admin.BackupBenchmark 100000 [dir]}.
 */
public final class BackupBenchmark {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path root = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("tessera-backup-bench");
        Fs.deleteTree(root);
        Files.createDirectories(root);
        try {
            run(n, root);
        } finally {
            Fs.deleteTree(root);
        }
    }

    private static void run(int n, Path root) throws Exception {
        long t0 = System.nanoTime();
        TxStateMachine sm = new TxStateMachine(root.resolve("source/state"));
        sm.open();
        long index = populate(sm, n);
        double populateS = secs(t0);

        Path snapshot = root.resolve("source/raft/snapshot").resolve(JraftSnapshots.dirName(index));
        long t1 = System.nanoTime();
        sm.saveSnapshot(snapshot.resolve("state"));
        double checkpointS = secs(t1);
        writeMeta(snapshot, index);
        sm.close();

        long t2 = System.nanoTime();
        String digest = StateDigest.of(snapshot.resolve("state"), root.resolve("digest-scratch"));
        double digestS = secs(t2);
        Path archive = root.resolve("backup.zip");
        long t3 = System.nanoTime();
        new ArchiveWriter(Clock.systemUTC()).write(snapshot, "default", "bench", root.resolve("scratch"), archive);
        double archiveS = secs(t3);
        long t4 = System.nanoTime();
        new ArchiveReader(archive).verify();
        double verifyS = secs(t4);

        TestCluster target = new TestCluster(root.resolve("restored"), 3);
        Path conf = target.writeConf(root.resolve("conf"));
        long t5 = System.nanoTime();
        StringWriter out = new StringWriter();
        int code = TesseraAdmin.run(new String[] {"restore", archive.toString(), "--conf", conf.toString()},
                new PrintWriter(out), new PrintWriter(out));
        double restoreS = secs(t5);
        if (code != 0) {
            throw new IllegalStateException("restore failed: " + out);
        }
        long t6 = System.nanoTime();
        TxStateMachine node = new TxStateMachine(root.resolve("scratch-load"));
        node.open();
        node.loadSnapshot(target.dataDir(0).resolve("raft/snapshot").resolve(JraftSnapshots.dirName(index))
                .resolve("state"));
        String restoredDigest = node.view().digest();
        node.close();
        double loadS = secs(t6);
        if (!restoredDigest.equals(digest)) {
            throw new IllegalStateException("digest mismatch after restore");
        }

        // The restored cluster for real: start, elect, then a live backup through the control port.
        long t7 = System.nanoTime();
        double leaderS;
        double liveS;
        long liveSize;
        try {
            target.start();
            target.leaderIndex();
            leaderS = secs(t7);
            Path live = root.resolve("live.zip");
            long t8 = System.nanoTime();
            StringWriter liveOut = new StringWriter();
            int liveCode = TesseraAdmin.run(new String[] {"backup", "--cluster", target.controlAddresses(), "--out",
                    live.toString(), "--username", TestSecurity.ADMIN.username(), "--password",
                    TestSecurity.ADMIN.password()}, new PrintWriter(liveOut), new PrintWriter(liveOut));
            liveS = secs(t8);
            if (liveCode != 0) {
                throw new IllegalStateException("live backup failed: " + liveOut);
            }
            if (!new ArchiveReader(live).verify().stateDigest().equals(digest)) {
                throw new IllegalStateException("live backup digest differs");
            }
            liveSize = Files.size(live);
        } finally {
            target.close();
        }
        System.out.printf("open transactions %,d: populate %.1f s | checkpoint (live pause) %.2f s | snapshot %,d bytes"
                        + " | digest %.1f s | archive total %.1f s, %,d bytes | verify %.1f s | restore x3 %.1f s"
                        + " | first-start load+digest %.1f s | 3 restored nodes to leader %.1f s"
                        + " | live backup via control port %.1f s, %,d bytes%n",
                n, populateS, checkpointS, size(snapshot), digestS, archiveS, Files.size(archive), verifyS, restoreS,
                loadS, leaderS, liveS, liveSize);
    }

    /** Begin + one AT branch with one lock per transaction, stamped as a leader would, applied in batches. */
    private static long populate(TxStateMachine sm, int n) throws Exception {
        TxCommands commands = new TxCommands();
        TxCommandStamper stamper = new TxCommandStamper();
        long[] ids = {0};
        long now = System.currentTimeMillis();
        CommandStamper.StampContext ctx = new CommandStamper.StampContext() {
            public long term() {
                return 1;
            }

            public long nextId() {
                return (1L << 40) | ++ids[0];
            }

            public long nowMillis() {
                return now;
            }
        };
        long index = 0;
        List<ApplyTarget.Entry> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] begin = stamper.stamp(commands.begin("10.0.0.1:8091", "app", "tx-group", "bench", 3_600_000).toByteArray(), ctx);
            String xid = "10.0.0.1:8091:" + ((1L << 40) | ids[0]);
            batch.add(new ApplyTarget.Entry(++index, 1, begin));
            byte[] reg = stamper.stamp(commands.register(xid, BranchType.AT, "jdbc:mysql://db/orders",
                    "orders:" + i, "app:10.0.0.2:1234", null).toByteArray(), ctx);
            batch.add(new ApplyTarget.Entry(++index, 1, reg));
            if (batch.size() >= 2_000) {
                sm.applyBatch(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            sm.applyBatch(batch);
        }
        return index;
    }

    private static void writeMeta(Path snapshot, long index) throws Exception {
        LocalSnapshotMetaTable table = new LocalSnapshotMetaTable(new RaftOptions());
        table.setMeta(SnapshotMeta.newBuilder().setLastIncludedIndex(index).setLastIncludedTerm(1)
                .addPeers("127.0.0.1:3").addPeers("127.0.0.1:6").addPeers("127.0.0.1:9").build());
        try (Stream<Path> s = Files.list(snapshot.resolve("state"))) {
            for (Path f : s.toList()) {
                table.addFile("state/" + f.getFileName(), LocalFileMeta.newBuilder().build());
            }
        }
        table.saveToFile(snapshot.resolve(JraftSnapshots.META_FILE).toString());
    }

    private static long size(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static double secs(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
