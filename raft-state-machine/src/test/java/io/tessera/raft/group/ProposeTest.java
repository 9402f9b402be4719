package io.tessera.raft.group;

import static io.tessera.raft.group.TestStamper.draft;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ProposeTest {
    private static final Pattern RESULT = Pattern.compile("id=(\\d+) term=(\\d+) (\\w+)=(\\d+)");

    @TempDir
    Path dir;

    @Test
    void leaderProposalReturnsItsApplyResultOnEveryReplica() throws Exception {
        try (TestCluster c = new TestCluster(dir, 3).startAll()) {
            RaftGroup leader = c.waitLeader(Duration.ofSeconds(15));
            String r1 = text(leader.propose(draft("add x 5")).get(10, TimeUnit.SECONDS));
            String r2 = text(leader.propose(draft("add x 2")).get(10, TimeUnit.SECONDS));
            long term = leader.currentTerm();
            assertTrue(r1.matches("id=\\d+ term=" + term + " x=5"), r1);
            assertTrue(r2.endsWith(" x=7"), r2);
            c.ensureSame(Duration.ofSeconds(10));
            for (int i = 0; i < c.size(); i++) {
                assertEquals(7, c.target(i).value("x"));
            }
        }
    }

    @Test
    void followerProposalIsStampedAndAppliedByTheLeader() throws Exception {
        AtomicInteger[] stamps = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
        try (TestCluster c = new TestCluster(dir, 3)
                .stampers(i -> new TestStamper(d -> stamps[i].incrementAndGet())).startAll()) {
            RaftGroup leader = c.waitLeader(Duration.ofSeconds(15));
            leader.propose(draft("add y 40")).get(10, TimeUnit.SECONDS);
            int f = c.followerIndexes().get(0);
            int before = stamps[c.indexOf(leader)].get();

            String r = text(c.group(f).propose(draft("add y 2")).get(10, TimeUnit.SECONDS));

            Matcher m = RESULT.matcher(r);
            assertTrue(m.matches(), r);
            long id = Long.parseLong(m.group(1));
            assertEquals(leader.currentTerm(), Long.parseLong(m.group(2)), "stamped with the leader's term");
            assertEquals(leader.currentTerm(), id >>> TermIds.SEQ_BITS, "id from the leader's term");
            assertEquals("42", m.group(4), "result computed by apply on the leader's state");
            assertEquals(0, stamps[f].get(), "a follower never stamps");
            assertEquals(before + 1, stamps[c.indexOf(leader)].get());
            c.ensureSame(Duration.ofSeconds(10));
        }
    }

    @Test
    void tenThousandCommandsFromAllMembersConverge() throws Exception {
        int total = 10_000;
        try (TestCluster c = new TestCluster(dir, 3).startAll()) {
            c.waitLeader(Duration.ofSeconds(15));
            Semaphore inFlight = new Semaphore(512);
            List<CompletableFuture<byte[]>> results = new ArrayList<>(total);
            for (int i = 0; i < total; i++) {
                inFlight.acquire();
                CompletableFuture<byte[]> f = c.group(i % 3).propose(draft("add k" + (i % 10) + " 1"));
                f.whenComplete((v, e) -> inFlight.release());
                results.add(f);
            }
            Set<Long> ids = new HashSet<>();
            for (CompletableFuture<byte[]> f : results) {
                Matcher m = RESULT.matcher(text(f.get(30, TimeUnit.SECONDS)));
                assertTrue(m.matches());
                assertTrue(ids.add(Long.parseLong(m.group(1))), "ids are unique");
            }
            c.ensureSame(Duration.ofSeconds(30));
            for (int r = 0; r < 3; r++) {
                long sum = 0;
                for (int k = 0; k < 10; k++) {
                    sum += c.target(r).value("k" + k);
                }
                assertEquals(total, sum, "replica " + r);
            }
        }
    }

    @Test
    void undecodableDraftIsRejectedOnLeaderAndThroughForwarding() throws Exception {
        try (TestCluster c = new TestCluster(dir, 3).startAll()) {
            RaftGroup leader = c.waitLeader(Duration.ofSeconds(15));
            RaftGroup follower = c.group(c.followerIndexes().get(0));
            for (RaftGroup g : List.of(leader, follower)) {
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> g.propose(draft("bad draft")).get(10, TimeUnit.SECONDS));
                assertEquals(GroupException.Kind.REJECTED, ((GroupException) e.getCause()).kind(), e.toString());
            }
            // Nothing was proposed for them: only the applied "add" below reaches the replicas.
            follower.propose(draft("add z 1")).get(10, TimeUnit.SECONDS);
            c.ensureSame(Duration.ofSeconds(10));
            assertEquals(1, c.target(0).value("z"));
        }
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
