package io.tessera.raft.group;

import static io.tessera.raft.group.TestStamper.draft;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.alipay.sofa.jraft.entity.PeerId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FencingTest {
    @TempDir
    Path dir;

    @Test
    void commandStampedUnderAnOldTermNeverApplies_evenWhenTheSameNodeLeadsAgain() throws Exception {
        CountDownLatch stamped = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TestStamper blocking = new TestStamper(d -> {
            if (d.equals("add f 1")) {
                stamped.countDown();
                await().atMost(Duration.ofSeconds(40)).until(() -> release.getCount() == 0);
            }
        });
        try (TestCluster c = new TestCluster(dir, 3).stampers(i -> blocking).startAll()) {
            RaftGroup a = c.waitLeader(Duration.ofSeconds(15));
            long t1 = a.currentTerm();
            // propose() stamps on the calling thread: hold it between stamping and node.apply.
            CompletableFuture<byte[]> fenced = CompletableFuture.supplyAsync(() -> a.propose(draft("add f 1")))
                    .thenCompose(f -> f);
            assertTrue(stamped.await(10, TimeUnit.SECONDS));

            // Leadership leaves A and comes back: A leads again, in a later term.
            await().atMost(Duration.ofSeconds(10)).until(() -> a.node().transferLeadershipTo(PeerId.ANY_PEER).isOk());
            RaftGroup b = c.waitLeader(Duration.ofSeconds(15));
            PeerId aPeer = PeerId.parsePeer(a.selfEndpoint());
            await().atMost(Duration.ofSeconds(10)).until(() -> b.node().transferLeadershipTo(aPeer).isOk());
            await().atMost(Duration.ofSeconds(15)).until(() -> a.isLeader() && a.currentTerm() > t1);

            release.countDown();
            // jraft refuses the term-1 command before appending it, so it never applies; the group then
            // routes the DRAFT again, stamped afresh under the current term: it applies exactly once.
            fenced.get(10, TimeUnit.SECONDS);

            // The same holds for a command proposed directly with a stale expected term.
            byte[] stale = TestStamper.encode(1, 0, t1, draft("add f 100"));
            ExecutionException e2 = assertThrows(ExecutionException.class,
                    () -> a.applyStamped(stale, t1).get(10, TimeUnit.SECONDS));
            assertEquals(GroupException.Kind.LEADERSHIP_CHANGED, ((GroupException) e2.getCause()).kind());

            a.propose(draft("add f 1000")).get(10, TimeUnit.SECONDS);
            c.ensureSame(Duration.ofSeconds(10));
            for (int i = 0; i < 3; i++) {
                assertEquals(1001, c.target(i).value("f"),
                        "the re-stamped draft once, the stale command never, on " + i);
            }
        }
    }
}
