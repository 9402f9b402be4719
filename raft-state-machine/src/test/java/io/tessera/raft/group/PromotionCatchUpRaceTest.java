package io.tessera.raft.group;

import static io.tessera.raft.group.TestStamper.draft;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.core.Replicator;
import com.alipay.sofa.jraft.entity.PeerId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lost catch-up wake-up of jraft 1.3.15's addPeer, forced deterministically (see Reconfiguration's
 * class comment). {@code ConfigurationCtx.addNewPeers} starts the new voter's replicator (which sends its
 * probe at once), then reads {@code options.getCatchupMargin()}, then registers the catch-up wait. The
 * members' NodeOptions hold jraft at that getter until the leader has handled the probe's successful
 * answer (the replicator turned ONLINE), which is exactly the ordering a loaded machine produces by
 * chance: the only "caught up" check then runs before the wait exists.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PromotionCatchUpRaceTest {
    private static final long CHANGE_MS = 20_000;

    @TempDir
    Path dir;

    /** Holds the next addPeer between "probe sent" and "wait registered" until the probe's answer is handled. */
    private static final class ProbeAnswerFirst implements Replicator.ReplicatorStateListener {
        private final AtomicReference<PeerId> target = new AtomicReference<>();
        private final AtomicReference<CountDownLatch> online = new AtomicReference<>();
        private final AtomicBoolean held = new AtomicBoolean();
        private final AtomicBoolean forced = new AtomicBoolean();

        /** Arms the hold for the next addPeer, of {@code endpoint}. */
        void arm(String endpoint) {
            target.set(PeerId.parsePeer(endpoint));
            online.set(new CountDownLatch(1));
            held.set(false);
        }

        /** On jraft's thread in addNewPeers, holding the node lock: the probe has been sent. */
        void hold() {
            if (!held.compareAndSet(false, true)) {
                return;
            }
            CountDownLatch l = online.get();
            if (l == null) {
                return;
            }
            try {
                // The leader marks the replicator ONLINE (Replicate) while handling the probe's success, under
                // the replicator's lock; waitForCaughtUp takes that lock, so it registers after the check.
                forced.set(l.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        boolean forced() {
            return forced.get();
        }

        @Override
        public void stateChanged(PeerId peer, ReplicatorState state) {
            CountDownLatch l = online.get();
            PeerId t = target.get();
            if (l != null && t != null && state == ReplicatorState.ONLINE && peer.getEndpoint().equals(t.getEndpoint())) {
                l.countDown();
            }
        }

        @Override
        public void onCreated(PeerId peer) {
        }

        @Override
        public void onError(PeerId peer, Status status) {
        }

        @Override
        public void onDestroyed(PeerId peer) {
        }
    }

    private static TestCluster cluster(Path dir, ProbeAnswerFirst race) {
        return new TestCluster(dir, 3).beforeStart((g, i) -> g.nodeOptions(transport -> new MemberNodeOptions(transport) {
            @Override
            public int getCatchupMargin() {
                race.hold();
                return super.getCatchupMargin();
            }
        }));
    }

    /** Three voters and a joiner that is a caught-up learner; returns the joiner's index. */
    private static int learnerCaughtUp(TestCluster c, RaftGroup leader) throws Exception {
        for (int i = 0; i < 20; i++) {
            leader.propose(draft("add a 1")).get(30, TimeUnit.SECONDS);
        }
        int joiner = c.addMember();
        String ep = c.endpoint(joiner);
        c.start(joiner);
        leader.addLearner(ep, CHANGE_MS).get(30, TimeUnit.SECONDS);
        await("learner caught up").atMost(Duration.ofSeconds(20)).until(() ->
                leader.memberStatus(ep, 1000).get().getAppliedIndex() >= leader.lastAppliedIndex());
        return joiner;
    }

    private static void awaitVoters(TestCluster c, List<String> voters) {
        await("voters " + voters).atMost(Duration.ofSeconds(15)).until(() -> c.running().stream()
                .allMatch(g -> new HashSet<>(g.configuration().voters()).equals(new HashSet<>(voters))
                        && g.configuration().learners().isEmpty()));
    }

    @Test
    void withTheProbeAnsweredFirstAPromotionStillCompletes() throws Exception {
        ProbeAnswerFirst race = new ProbeAnswerFirst();
        try (TestCluster c = cluster(dir, race).startAll()) {
            RaftGroup leader = c.waitLeader(Duration.ofSeconds(15));
            int joiner = learnerCaughtUp(c, leader);
            String ep = c.endpoint(joiner);
            leader.node().addReplicatorStateListener(race);
            race.arm(ep);

            leader.promoteToVoter(ep, CHANGE_MS).get(30, TimeUnit.SECONDS);

            assertTrue(race.forced(), "the probe's answer was handled before jraft registered the catch-up wait");
            awaitVoters(c, List.of(c.endpoint(0), c.endpoint(1), c.endpoint(2), ep));
            // No change is left running: the next one is accepted.
            leader.removeMember(ep, CHANGE_MS).get(30, TimeUnit.SECONDS);
            awaitVoters(c, List.of(c.endpoint(0), c.endpoint(1), c.endpoint(2)));
        }
    }

    /**
     * The cause, shown on jraft itself: without the group's no-op the same ordering leaves addPeer waiting
     * however long (heartbeats keep the peer "alive", so jraft re-arms the wait every election timeout),
     * and jraft refuses other changes meanwhile; the next entry written completes it.
     */
    @Test
    void withoutANoopTheSameOrderingWaitsForTheNextEntry() throws Exception {
        ProbeAnswerFirst race = new ProbeAnswerFirst();
        TestStamper kv = new TestStamper();
        try (TestCluster c = cluster(dir, race).stampers(i -> new CommandStamper() {
            @Override
            public byte[] stamp(byte[] d, StampContext context) {
                return kv.stamp(d, context);
            }
        }).startAll()) {
            RaftGroup leader = c.waitLeader(Duration.ofSeconds(15));
            int joiner = learnerCaughtUp(c, leader);
            String ep = c.endpoint(joiner);
            leader.node().addReplicatorStateListener(race);
            race.arm(ep);

            // Three election timeouts (1 s each here): jraft's catch-up timer fires and is re-armed each time.
            ExecutionException stuck = assertThrows(ExecutionException.class,
                    () -> leader.promoteToVoter(ep, 3_000).get(30, TimeUnit.SECONDS));
            assertEquals(GroupException.Kind.TIMEOUT, ((GroupException) stuck.getCause()).kind(), stuck.toString());
            assertTrue(race.forced(), "the probe's answer was handled before jraft registered the catch-up wait");
            ExecutionException busy = assertThrows(ExecutionException.class,
                    () -> leader.removeMember(c.endpoint(c.followerIndexes().stream().filter(i -> i != joiner)
                            .findFirst().orElseThrow()), CHANGE_MS).get(30, TimeUnit.SECONDS));
            assertEquals(GroupException.Kind.BUSY, ((GroupException) busy.getCause()).kind(), busy.toString());

            leader.propose(draft("add a 1")).get(30, TimeUnit.SECONDS);
            awaitVoters(c, List.of(c.endpoint(0), c.endpoint(1), c.endpoint(2), ep));
        }
    }
}
