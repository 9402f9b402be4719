package io.tessera.raft.group;

import static io.tessera.raft.group.TestStamper.draft;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.alipay.sofa.jraft.core.State;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ApplyHaltTest {
    @TempDir
    Path dir;

    @Test
    void applyHaltStopsTheReplicaWithoutSkippingTheEntry() throws Exception {
        AtomicInteger halting = new AtomicInteger(-1);
        try (TestCluster c = new TestCluster(dir, 3)
                .targets(i -> d -> new KvTarget(d, cmd -> i == halting.get() && cmd.equals("add poison 1")))
                .startAll()) {
            RaftGroup leader = c.waitLeader(Duration.ofSeconds(15));
            for (int i = 0; i < 5; i++) {
                leader.propose(draft("add a 1")).get(10, TimeUnit.SECONDS);
            }
            c.ensureSame(Duration.ofSeconds(10));
            int h = c.followerIndexes().get(0);
            halting.set(h);
            RaftGroup halted = c.group(h);
            long appliedBefore = c.target(h).lastAppliedIndex();

            // The leader and the healthy follower apply it; the poisoned replica must stop right there.
            leader.propose(draft("add poison 1")).get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(halted::isHalted);
            await().atMost(Duration.ofSeconds(10)).until(() -> halted.node().getNodeState() == State.STATE_ERROR);
            assertTrue(halted.haltReason().orElseThrow().contains("add poison 1"), halted.haltReason().toString());
            assertTrue(leader.haltReason().isEmpty());

            assertEquals(0, c.target(h).value("poison"));
            assertEquals(appliedBefore, c.target(h).lastAppliedIndex());
            assertEquals(appliedBefore, halted.lastAppliedIndex());

            // The rest of the group goes on; the halted replica applies nothing more and refuses requests.
            leader.propose(draft("add a 1")).get(10, TimeUnit.SECONDS);
            int healthy = 3 - h - c.indexOf(leader);
            await().atMost(Duration.ofSeconds(10)).until(() -> c.target(healthy).value("a") == 6);
            assertEquals(5, c.target(h).value("a"));
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> halted.propose(draft("add a 1")).get(10, TimeUnit.SECONDS));
            assertEquals(GroupException.Kind.UNAVAILABLE, ((GroupException) e.getCause()).kind());

            // After the fault is fixed (restart with a healthy store) the very same entry is applied.
            c.stop(h);
            halting.set(-1);
            c.start(h);
            c.ensureSame(Duration.ofSeconds(20));
            assertEquals(1, c.target(h).value("poison"));
            assertEquals(6, c.target(h).value("a"));
            assertTrue(c.target(h).lastAppliedIndex() > appliedBefore);
        }
    }
}
