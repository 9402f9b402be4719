package io.tessera.admin;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.alipay.sofa.jraft.conf.ConfigurationManager;
import com.alipay.sofa.jraft.entity.codec.v2.LogEntryV2CodecFactory;
import com.alipay.sofa.jraft.option.LogStorageOptions;
import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.storage.impl.RocksDBLogStorage;
import io.tessera.codec.message.GlobalBeginRequest;
import io.tessera.codec.message.GlobalBeginResponse;
import io.tessera.codec.message.GlobalEndRequest;
import io.tessera.codec.message.GlobalEndResponse;
import io.tessera.coordinator.backup.JraftSnapshots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * raft.snapshot-interval-seconds drives jraft's own snapshot timer: snapshots keep coming on their own,
 * only the newest snapshot directory is kept, and the raft log is compacted up to it.
 */
@Timeout(60)
class PeriodicSnapshotTest {
    @TempDir
    Path dir;

    private static void work(TestSeataClient tm, int n) {
        for (int i = 0; i < n; i++) {
            String xid = tm.call(new GlobalBeginRequest(60_000, "p"), GlobalBeginResponse.class).xid();
            tm.call(new GlobalEndRequest(GlobalEndRequest.Kind.COMMIT, xid, null), GlobalEndResponse.class);
        }
    }

    private static long snapshotDirs(Path root) throws Exception {
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> p.getFileName().toString().startsWith("snapshot_")).count();
        }
    }

    @Test
    void periodicSnapshotsReplaceOlderOnesAndCompactTheLog() throws Exception {
        TestCluster one = new TestCluster(dir, 1).snapshotIntervalSeconds(1).start();
        Path snapshots = one.dataDir(0).resolve("raft/snapshot");
        long last;
        try (TestSeataClient tm = new TestSeataClient(one.transactionPort(0)).registerTm("p")) {
            one.leaderIndex();
            work(tm, 10);
            long applied = one.node(0).group().lastAppliedIndex();
            await().atMost(Duration.ofSeconds(15)).until(() -> JraftSnapshots.latest(snapshots)
                    .map(p -> Long.parseLong(p.getFileName().toString().substring(9)) >= applied).orElse(false));
            work(tm, 10);
            long applied2 = one.node(0).group().lastAppliedIndex();
            await().atMost(Duration.ofSeconds(15)).until(() -> JraftSnapshots.latest(snapshots)
                    .map(p -> Long.parseLong(p.getFileName().toString().substring(9)) >= applied2).orElse(false));
            await().atMost(Duration.ofSeconds(5)).until(() -> snapshotDirs(snapshots) == 1);
            last = Long.parseLong(JraftSnapshots.latest(snapshots).orElseThrow().getFileName().toString().substring(9));
        } finally {
            one.close();
        }
        assertEquals(1, snapshotDirs(snapshots), "older snapshots are pruned");

        RocksDBLogStorage log = new RocksDBLogStorage(one.dataDir(0).resolve("raft/log").toString(), new RaftOptions());
        LogStorageOptions opts = new LogStorageOptions();
        opts.setGroupId("default");
        opts.setConfigurationManager(new ConfigurationManager());
        opts.setLogEntryCodecFactory(LogEntryV2CodecFactory.getInstance());
        assertTrue(log.init(opts));
        try {
            // jraft truncates the log prefix up to the snapshot it just saved (snapshotLogIndexMargin 0).
            assertTrue(log.getFirstLogIndex() > 1, "log compacted: first index " + log.getFirstLogIndex()
                    + " after a snapshot at " + last);
        } finally {
            log.shutdown();
        }
    }
}
