package io.tessera.raft.group;

import static io.tessera.raft.group.TestStamper.draft;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReadBarrierTest {
    @TempDir
    Path dir;

    @Test
    void afterTheBarrierEveryMemberSeesEveryWriteCommittedBeforeIt() throws Exception {
        try (TestCluster c = new TestCluster(dir, 3).startAll()) {
            RaftGroup leader = c.waitLeader(Duration.ofSeconds(15));
            for (int round = 1; round <= 5; round++) {
                List<CompletableFuture<byte[]>> fs = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    fs.add(leader.propose(draft("add r 1")));
                }
                CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
                for (int m = 0; m < 3; m++) {
                    c.group(m).readBarrier().get(10, TimeUnit.SECONDS);
                    assertEquals(200L * round, c.target(m).value("r"), "member " + m + " round " + round);
                }
            }
        }
    }

    @Test
    void withoutQuorumRequestsFailWithinTheRequestTimeout() throws Exception {
        long timeout = 1500;
        try (TestCluster c = new TestCluster(dir, 3).requestTimeoutMs(timeout).startAll()) {
            RaftGroup leader = c.waitLeader(Duration.ofSeconds(15));
            leader.propose(draft("add q 1")).get(10, TimeUnit.SECONDS);
            c.ensureSame(Duration.ofSeconds(10));
            int survivor = c.followerIndexes().get(0);
            for (int i = 0; i < 3; i++) {
                if (i != survivor) {
                    c.stop(i);
                }
            }
            RaftGroup alone = c.group(survivor);
            long t0 = System.nanoTime();
            CompletableFuture<Void> read = alone.readBarrier();
            CompletableFuture<byte[]> write = alone.propose(draft("add q 1"));
            ExecutionException re = assertThrows(ExecutionException.class, () -> read.get(10, TimeUnit.SECONDS));
            ExecutionException we = assertThrows(ExecutionException.class, () -> write.get(10, TimeUnit.SECONDS));
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(elapsedMs < timeout + 1000, "answered within the request timeout: " + elapsedMs);
            assertTrue(re.getCause() instanceof GroupException, re.toString());
            assertTrue(we.getCause() instanceof GroupException, we.toString());
            GroupException.Kind wk = ((GroupException) we.getCause()).kind();
            assertTrue(wk == GroupException.Kind.NO_LEADER || wk == GroupException.Kind.TIMEOUT
                    || wk == GroupException.Kind.LEADERSHIP_CHANGED, we.toString());
            assertEquals(1, c.target(survivor).value("q"), "the refused write never applied");
        }
    }
}
