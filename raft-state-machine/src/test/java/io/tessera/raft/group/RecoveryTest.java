package io.tessera.raft.group;

import static io.tessera.raft.group.TestStamper.draft;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RecoveryTest {
    @TempDir
    Path dir;

    private static void proposeMany(RaftGroup g, String key, int n) throws Exception {
        List<CompletableFuture<byte[]>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            fs.add(g.propose(draft("add " + key + " 1")));
        }
        CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    }

    @Test
    void stoppedFollowerCatchesUpFromTheLog() throws Exception {
        try (TestCluster c = new TestCluster(dir, 3).startAll()) {
            RaftGroup leader = c.waitLeader(Duration.ofSeconds(15));
            proposeMany(leader, "a", 50);
            int f = c.followerIndexes().get(0);
            c.ensureSame(Duration.ofSeconds(10));
            c.stop(f);

            proposeMany(leader, "a", 300);
            c.start(f);

            c.ensureSame(Duration.ofSeconds(20));
            assertEquals(350, c.target(f).value("a"));
            assertEquals(0, c.target(f).snapshotLoads(), "caught up from the log, not a snapshot");
        }
    }

    @Test
    void stoppedFollowerCatchesUpBySnapshotInstallAfterLogTruncation() throws Exception {
        try (TestCluster c = new TestCluster(dir, 3).startAll()) {
            RaftGroup leader = c.waitLeader(Duration.ofSeconds(15));
            proposeMany(leader, "b", 20);
            c.ensureSame(Duration.ofSeconds(10));
            int f = c.followerIndexes().get(0);
            c.stop(f);

            // jraft truncates the log only up to the PREVIOUS snapshot, so take two with entries between.
            proposeMany(leader, "b", 300);
            snapshotAllRunning(c);
            proposeMany(leader, "b", 100);
            snapshotAllRunning(c);
            proposeMany(leader, "b", 10);

            c.start(f);
            c.ensureSame(Duration.ofSeconds(30));
            assertEquals(430, c.target(f).value("b"));
            assertTrue(c.target(f).snapshotLoads() >= 1, "installed the leader's snapshot");

            // And it keeps following normally afterwards.
            proposeMany(c.group(f), "b", 5);
            c.ensureSame(Duration.ofSeconds(10));
            assertEquals(435, c.target(f).value("b"));
        }
    }

    private static void snapshotAllRunning(TestCluster c) throws Exception {
        for (RaftGroup g : c.running()) {
            g.snapshotNow().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void restartOfAllMembersRecoversTheSameState() throws Exception {
        String before;
        long valueBefore;
        TestCluster c = new TestCluster(dir, 3).startAll();
        try {
            RaftGroup leader = c.waitLeader(Duration.ofSeconds(15));
            proposeMany(leader, "c", 200);
            leader.snapshotNow().get(30, TimeUnit.SECONDS);
            proposeMany(c.group(c.followerIndexes().get(0)), "c", 100);
            c.ensureSame(Duration.ofSeconds(10));
            before = c.target(0).digest();
            valueBefore = c.target(0).value("c");
            for (int i = 0; i < 3; i++) {
                c.stop(i);
            }
            for (int i = 0; i < 3; i++) {
                c.start(i);
            }
            RaftGroup again = c.waitLeader(Duration.ofSeconds(15));
            c.ensureSame(Duration.ofSeconds(15));
            assertEquals(before, c.target(0).digest());
            assertEquals(300, valueBefore);
            again.propose(draft("add c 1")).get(10, TimeUnit.SECONDS);
            c.ensureSame(Duration.ofSeconds(10));
            assertEquals(301, c.target(2).value("c"));
        } finally {
            c.close();
        }
    }
}
