package io.tessera.raft.tx;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.raft.group.ApplyHaltException;
import io.tessera.raft.group.ApplyTarget;
import io.tessera.raft.group.RaftGroup;
import io.tessera.raft.group.RaftGroupOptions;
import io.tessera.raft.proto.TxCommand;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader applies its own proposals from the TxCommand the stamper built (no second decode), the
 * followers from the bytes; both through the same applyBatch, with identical stores as the result.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LeaderDecodeTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** Counts entries arriving with and without the proposer's decoded command, then applies them. */
    private static final class Counting implements ApplyTarget {
        final TxStateMachine machine;
        final AtomicInteger decoded = new AtomicInteger();
        final AtomicInteger bytesOnly = new AtomicInteger();

        Counting(Path dir) {
            machine = new TxStateMachine(dir);
        }

        @Override
        public void open() throws IOException {
            machine.open();
        }

        @Override
        public List<io.tessera.raft.proto.TxResult> applyBatch(List<Entry> entries) throws ApplyHaltException {
            for (Entry e : entries) {
                if (e.decoded() != null) {
                    // The contract: the object is exactly what decoding the bytes gives.
                    try {
                        assertEquals(TxCommand.parseFrom(e.command()), e.decoded());
                    } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
                        throw new AssertionError(ex);
                    }
                    decoded.incrementAndGet();
                } else {
                    bytesOnly.incrementAndGet();
                }
            }
            return machine.applyBatch(entries);
        }

        @Override
        public byte[] resultBytes(Object result) {
            return machine.resultBytes(result);
        }

        @Override
        public long lastAppliedIndex() {
            return machine.lastAppliedIndex();
        }

        @Override
        public void saveSnapshot(Path d) throws IOException {
            machine.saveSnapshot(d);
        }

        @Override
        public void loadSnapshot(Path d) throws IOException {
            machine.loadSnapshot(d);
        }

        @Override
        public void close() {
            machine.close();
        }
    }

    @Test
    void leaderReusesStampedCommandFollowersDecode() throws Exception {
        List<String> endpoints = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            try (ServerSocket s = new ServerSocket(0)) {
                endpoints.add("127.0.0.1:" + s.getLocalPort());
            }
        }
        RaftGroup[] groups = new RaftGroup[3];
        Counting[] targets = new Counting[3];
        TxCommands commands = new TxCommands();
        try {
            for (int i = 0; i < 3; i++) {
                RaftGroupOptions o = RaftGroupOptions.builder().groupId("tx").dataDir(dir.resolve("n" + i))
                        .selfEndpoint(endpoints.get(i)).peers(endpoints).electionTimeoutMs(1000)
                        .requestTimeoutMs(10_000).build();
                targets[i] = new Counting(o.stateDir());
                groups[i] = new RaftGroup(o, targets[i], new TxCommandStamper());
                groups[i].start();
            }
            await("leader").atMost(WAIT).until(() -> Arrays.stream(groups).filter(RaftGroup::isLeader).count() == 1
                    && Arrays.stream(groups).allMatch(g -> g.leaderEndpoint().isPresent()));
            int l = 0;
            while (!groups[l].isLeader()) {
                l++;
            }
            RaftGroup leader = groups[l];
            RaftGroup follower = groups[(l + 1) % 3];

            String xid = propose(commands, leader, commands.begin(leader.selfEndpoint(), "app", "grp", "tx", 60_000)).xid();
            // Forwarded drafts are stamped on the leader too, so they also arrive decoded there.
            long b1 = propose(commands, follower, commands.register(xid, BranchType.TCC, "r1", null, "a:1.1.1.1:1", null)).branchId();
            long b2 = propose(commands, leader, commands.register(xid, BranchType.TCC, "r2", null, "a:1.1.1.1:1", null)).branchId();
            assertEquals(GlobalStatus.Committing, propose(commands, leader, commands.commit(xid)).globalStatus());
            TxOutcome round = propose(commands, leader, commands.phaseTwoResults(xid, List.of(
                    new BranchResult(b1, BranchStatus.PhaseTwo_Committed), new BranchResult(b2, BranchStatus.PhaseTwo_Committed))));
            assertEquals(GlobalStatus.Committed, round.globalStatus());

            await("replicas converge").atMost(WAIT).until(() -> Arrays.stream(targets)
                    .map(t -> t.lastAppliedIndex() + ":" + t.machine.view().digest()).distinct().count() == 1);
            assertEquals(5, targets[l].decoded.get(), "every proposal of this test applied decoded on the leader");
            assertEquals(0, targets[l].bytesOnly.get());
            for (int i = 0; i < 3; i++) {
                if (i != l) {
                    assertEquals(0, targets[i].decoded.get(), "followers decode the bytes");
                    assertEquals(5, targets[i].bytesOnly.get());
                }
            }
            assertEquals(GlobalStatus.Committed, targets[(l + 2) % 3].machine.view().status(xid).orElseThrow());
        } finally {
            for (RaftGroup g : groups) {
                if (g != null) {
                    g.close();
                }
            }
        }
    }

    /** The decoded object is what apply reads when present: bytes it would refuse are not even looked at. */
    @Test
    void applyReadsTheDecodedCommandWhenPresent() throws Exception {
        try (Harness h = new Harness(dir)) {
            TxCommand begin = (TxCommand) h.stamper.stampDraft(
                    h.commands.begin("10.0.0.1:8091", "app", "grp", "tx", 60_000), new CtxAt(5000)).decoded();
            byte[] undecodable = {(byte) 0xff, (byte) 0xff, (byte) 0xff};
            List<io.tessera.raft.proto.TxResult> results = h.machine.applyBatch(List.of(new ApplyTarget.Entry(1, 1, undecodable, begin)));
            TxOutcome o = TxOutcome.of(results.get(0));
            assertTrue(o.success() && o.applied(), o.toString());
            assertEquals(GlobalStatus.Begin, h.view().status(begin.getBegin().getXid()).orElseThrow());
            // Without the object the same bytes halt the replica, as on a follower.
            org.junit.jupiter.api.Assertions.assertThrows(ApplyHaltException.class,
                    () -> h.machine.applyBatch(List.of(new ApplyTarget.Entry(2, 1, undecodable))));
        }
    }

    private record CtxAt(long nowMillis) implements io.tessera.raft.group.CommandStamper.StampContext {
        @Override
        public long term() {
            return 1;
        }

        @Override
        public long nextId() {
            return 42;
        }
    }

    private static TxOutcome propose(TxCommands commands, RaftGroup g, TxCommand draft) throws Exception {
        TxOutcome o = TxOutcome.decode(g.propose(draft.toByteArray()).get(20, TimeUnit.SECONDS));
        assertTrue(o.success(), o.toString());
        return o;
    }
}
