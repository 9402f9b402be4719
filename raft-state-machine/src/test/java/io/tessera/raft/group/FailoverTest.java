package io.tessera.raft.group;

import static io.tessera.raft.group.ProposeTest.text;
import static io.tessera.raft.group.TestStamper.draft;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
class FailoverTest {
    @TempDir
    Path dir;

    @Test
    void leaderStopped_proposalIssuedDuringElectionWaitsAndSucceeds_thenProposalsContinue() throws Exception {
        try (TestCluster c = new TestCluster(dir, 3).startAll()) {
            RaftGroup old = c.waitLeader(Duration.ofSeconds(15));
            long oldTerm = old.currentTerm();
            old.propose(draft("add n 1")).get(10, TimeUnit.SECONDS);
            int oldIndex = c.indexOf(old);
            int f = c.followerIndexes().get(0);

            c.stop(oldIndex);
            // Issued right away, while the survivors may still believe in the dead leader or are electing.
            CompletableFuture<byte[]> during = c.group(f).propose(draft("add n 10"));

            String r = text(during.get(TestCluster.REQUEST_TIMEOUT_MS + 2000, TimeUnit.MILLISECONDS));
            RaftGroup fresh = c.waitLeader(Duration.ofSeconds(15));
            assertNotEquals(old.selfEndpoint(), fresh.selfEndpoint());
            assertTrue(fresh.currentTerm() > oldTerm);
            assertTrue(r.endsWith(" n=11"), r);

            for (int i = 0; i < 20; i++) {
                c.group(i % 2 == 0 ? f : c.indexOf(fresh)).propose(draft("add n 1")).get(10, TimeUnit.SECONDS);
            }
            c.ensureSame(Duration.ofSeconds(10));

            c.start(oldIndex);
            c.ensureSame(Duration.ofSeconds(20));
            assertEquals(31, c.target(oldIndex).value("n"));
        }
    }

    @Test
    void withoutQuorumProposalsAndReadsWaitForALeaderThenProceed() throws Exception {
        try (TestCluster c = new TestCluster(dir, 3).startAll()) {
            RaftGroup leader = c.waitLeader(Duration.ofSeconds(15));
            leader.propose(draft("add w 1")).get(10, TimeUnit.SECONDS);
            int survivor = c.followerIndexes().get(0);
            int other = 3 - survivor - c.indexOf(leader);
            c.stop(c.indexOf(leader));
            c.stop(other);
            RaftGroup alone = c.group(survivor);
            // No leader can exist now: both requests must be held, not failed.
            await().atMost(Duration.ofSeconds(10)).until(() -> alone.leaderEndpoint().isEmpty());
            CompletableFuture<byte[]> write = alone.propose(draft("add w 5"));
            CompletableFuture<Void> read = alone.readBarrier();
            assertFalse(write.isDone());
            assertFalse(read.isDone());

            c.start(other);
            String r = text(write.get(TestCluster.REQUEST_TIMEOUT_MS, TimeUnit.MILLISECONDS));
            read.get(TestCluster.REQUEST_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            assertTrue(r.endsWith(" w=6"), r);
            c.ensureSame(Duration.ofSeconds(10));
            assertEquals(6, c.target(other).value("w"));
        }
    }

    @Test
    void inFlightForwardedProposalsAcrossALeaderCrashCompleteAndNeverApplyTwice() throws Exception {
        int n = 600;
        try (TestCluster c = new TestCluster(dir, 3).startAll()) {
            RaftGroup leader = c.waitLeader(Duration.ofSeconds(15));
            int f = c.followerIndexes().get(0);
            List<CompletableFuture<byte[]>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                fs.add(c.group(f).propose(draft("add u" + i + " 1")));
                if (i == n / 3) {
                    c.stop(c.indexOf(leader)); // leader dies with forwarded drafts in flight
                }
            }
            int ok = 0;
            java.util.Map<GroupException.Kind, Integer> failed = new java.util.EnumMap<>(GroupException.Kind.class);
            for (int i = 0; i < n; i++) {
                try {
                    fs.get(i).get(TestCluster.REQUEST_TIMEOUT_MS + 2000, TimeUnit.MILLISECONDS);
                    ok++;
                } catch (ExecutionException e) {
                    assertTrue(e.getCause() instanceof GroupException, e.toString());
                    failed.merge(((GroupException) e.getCause()).kind(), 1, Integer::sum);
                }
            }
            System.out.println("crash run: " + ok + " applied, failed " + failed);
            c.waitLeader(Duration.ofSeconds(15));
            c.ensureSame(Duration.ofSeconds(15));
            int applied = 0;
            for (int i = 0; i < n; i++) {
                long v = c.target(f).value("u" + i);
                assertTrue(v == 0 || v == 1, "u" + i + " applied " + v + " times");
                if (fs.get(i).isDone() && !fs.get(i).isCompletedExceptionally()) {
                    assertEquals(1, v, "a successful proposal is applied: u" + i);
                }
                applied += (int) v;
            }
            assertTrue(ok > n / 3, "proposals went on after the crash: " + ok);
            assertTrue(applied >= ok);
        }
    }
}
