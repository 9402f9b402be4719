package io.tessera.raft.tx;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.raft.group.RaftGroup;
import io.tessera.raft.group.RaftGroupOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transaction state machine under real jraft replication (three in-process members on loopback):
 * stamping on the leader, forwarding from a follower, identical replicas, snapshot catch-up of a member
 * that missed compacted log, and the ended record surviving a leader change.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TxRaftIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final TxCommands commands = new TxCommands();
    private final List<String> endpoints = new ArrayList<>();
    private final RaftGroup[] groups = new RaftGroup[3];
    private final TxStateMachine[] machines = new TxStateMachine[3];

    private final RaftGroupOptions[] options = new RaftGroupOptions[3];

    private void start(int i) throws IOException {
        RaftGroupOptions o = options[i] = RaftGroupOptions.builder()
                .groupId("tx")
                .dataDir(dir.resolve("n" + i))
                .selfEndpoint(endpoints.get(i))
                .peers(endpoints)
                .electionTimeoutMs(1000)
                .requestTimeoutMs(10_000)
                .build();
        machines[i] = new TxStateMachine(o.stateDir());
        groups[i] = new RaftGroup(o, machines[i], new TxCommandStamper());
        groups[i].start();
    }

    private void stop(int i) {
        groups[i].close();
        groups[i] = null;
        machines[i] = null;
    }

    private RaftGroup waitLeader() {
        await("leader").atMost(WAIT).until(() -> running().stream().filter(RaftGroup::isLeader).count() == 1
                && running().stream().allMatch(g -> g.leaderEndpoint().isPresent()));
        return running().stream().filter(RaftGroup::isLeader).findFirst().orElseThrow();
    }

    private List<RaftGroup> running() {
        return java.util.Arrays.stream(groups).filter(Objects::nonNull).toList();
    }

    private void ensureSame() {
        await("replicas converge").atMost(WAIT).until(() -> java.util.Arrays.stream(machines).filter(Objects::nonNull)
                .map(m -> m.lastAppliedIndex() + ":" + m.view().digest()).distinct().count() == 1);
    }

    private TxOutcome propose(RaftGroup g, io.tessera.raft.proto.TxCommand draft) throws Exception {
        return TxOutcome.decode(g.propose(draft.toByteArray()).get(20, TimeUnit.SECONDS));
    }

    private static boolean hasSnapshot(Path snapshotDir) throws IOException {
        if (!java.nio.file.Files.isDirectory(snapshotDir)) {
            return false;
        }
        try (var s = java.nio.file.Files.list(snapshotDir)) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith("snapshot_"));
        }
    }

    private int indexOf(RaftGroup g) {
        for (int i = 0; i < groups.length; i++) {
            if (groups[i] == g) {
                return i;
            }
        }
        throw new IllegalArgumentException();
    }

    @Test
    void replicatedLifecycleSnapshotCatchUpAndFailover() throws Exception {
        for (int i = 0; i < 3; i++) {
            try (ServerSocket s = new ServerSocket(0)) {
                endpoints.add("127.0.0.1:" + s.getLocalPort());
            }
        }
        try {
            for (int i = 0; i < 3; i++) {
                start(i);
            }
            RaftGroup leader = waitLeader();
            int f = (indexOf(leader) + 1) % 3;

            // Begin on the leader, register through a follower (forwarded, stamped by the leader).
            TxOutcome begin = propose(leader, commands.begin(leader.selfEndpoint(), "app", "grp", "tx", 60_000));
            assertTrue(begin.success(), begin.message());
            assertEquals(leader.selfEndpoint() + ":" + begin.transactionId(), begin.xid());
            String xid = begin.xid();
            TxOutcome b1 = propose(groups[f], commands.register(xid, BranchType.AT, "jdbc:db", "t:1", "app:1.1.1.1:1", null));
            TxOutcome b2 = propose(groups[f], commands.register(xid, BranchType.AT, "jdbc:db", "t:1,2", "app:1.1.1.1:1", null));
            assertTrue(b1.success() && b2.success());
            assertTrue(b1.branchId() > 0 && b2.branchId() > b1.branchId(), "leader ids, increasing");
            ensureSame();
            assertTrue(machines[f].view().global(xid).isPresent(), "the follower has the replicated state");
            assertEquals(2, machines[f].view().branches(xid).size());

            // One member misses a stretch of log that the leader then compacts into a snapshot.
            int lagging = (indexOf(leader) + 2) % 3;
            stop(lagging);
            assertEquals(GlobalStatus.AsyncCommitting, propose(leader, commands.commit(xid)).globalStatus());
            for (long b : new long[] {b1.branchId(), b2.branchId()}) {
                propose(leader, commands.phaseTwoResult(xid, b, BranchStatus.PhaseTwo_Committed));
            }
            for (int k = 0; k < 20; k++) {
                String x = propose(leader, commands.begin(leader.selfEndpoint(), "app", "grp", "t" + k, 60_000)).xid();
                propose(leader, commands.register(x, BranchType.AT, "jdbc:db", "t:" + (100 + k), "app:1.1.1.1:1", null));
                if (k % 2 == 0) {
                    propose(leader, commands.rollback(x));
                }
            }
            // jraft truncates the log up to the last-but-one snapshot: two snapshots force an install.
            leader.snapshotNow().get(60, TimeUnit.SECONDS);
            propose(leader, commands.noop());
            leader.snapshotNow().get(60, TimeUnit.SECONDS);
            start(lagging);
            ensureSame();
            Path installed = options[lagging].raftSnapshotDir();
            await("snapshot installed on the lagging member").atMost(WAIT).until(() -> hasSnapshot(installed));
            assertEquals(GlobalStatus.Committed, machines[lagging].view().status(xid).orElseThrow());

            // Failover: the new leader answers a retried commit with the true final status.
            int old = indexOf(leader);
            stop(old);
            RaftGroup next = waitLeader();
            assertNotEquals(old, indexOf(next));
            TxOutcome retry = propose(next, commands.commit(xid));
            assertEquals(GlobalStatus.Committed, retry.globalStatus());
            assertTrue(retry.success());
            start(old);
            ensureSame();
        } finally {
            for (int i = 0; i < 3; i++) {
                if (groups[i] != null) {
                    stop(i);
                }
            }
        }
    }
}
