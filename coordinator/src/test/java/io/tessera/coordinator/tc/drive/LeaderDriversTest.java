package io.tessera.coordinator.tc.drive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.message.UndoLogDeleteRequest;
import io.tessera.coordinator.config.NodeConfig;
import io.tessera.coordinator.tc.port.AtResources;
import io.tessera.coordinator.tc.port.UndoLogTargets;
import io.tessera.coordinator.testing.InProcessTxLog;
import io.tessera.coordinator.testing.ManualClock;
import io.tessera.coordinator.testing.ManualScheduler;
import io.tessera.raft.group.ProposalOptions;
import io.tessera.raft.proto.TxCommand;
import io.tessera.raft.tx.TxCommands;
import io.tessera.raft.tx.TxOutcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The timeout, retention and undo-log drivers on virtual time: what they propose or send, and when. */
class LeaderDriversTest {
    private static final long START = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(START);
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final TxCommands commands = new TxCommands();
    private InProcessTxLog log;
    private final List<AutoCloseable> drivers = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        log = new InProcessTxLog(dir, scheduler);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable d : drivers) {
            d.close();
        }
        log.close();
    }

    private TxOutcome propose(TxCommand c) {
        TxOutcome o = log.propose(c, ProposalOptions.once(1_000)).join();
        scheduler.runDue();
        return o;
    }

    @Test
    void timedOutBeginTransactionsAreRolledBackAtTheTimeoutRetryPeriod() {
        TimeoutDriver timeouts = new TimeoutDriver(log, commands, scheduler, clock, 1_000, 1_000);
        drivers.add(timeouts);
        log.addLeaderListener(timeouts);
        log.lead(1);
        String xid = propose(commands.begin("10.0.0.1:8091", "orders", "g", "short", 1_500)).xid();
        propose(commands.register(xid, BranchType.TCC, "a", null, "orders:127.0.0.1:1", null));
        scheduler.advance(Duration.ofMillis(1_000));
        assertEquals(GlobalStatus.Begin, log.view().status(xid).orElseThrow(), "not past its deadline at 1 s");
        scheduler.advance(Duration.ofMillis(1_000));
        assertEquals(GlobalStatus.TimeoutRollbacking, log.view().status(xid).orElseThrow(), "checked at 2 s");
        log.loseLeadership();
        log.lead(2);
        String later = propose(commands.begin("10.0.0.1:8091", "orders", "g", "short", 100)).xid();
        log.loseLeadership();
        scheduler.advance(Duration.ofSeconds(10));
        log.lead(3);
        assertEquals(GlobalStatus.Begin, log.view().status(later).orElseThrow(), "a follower times nothing out");
        scheduler.advance(Duration.ofMillis(1_000));
        assertEquals(GlobalStatus.TimeoutRollbacked, log.view().status(later).orElseThrow(), "the next leader does");
    }

    @Test
    void endedRecordsArePurgedAfterTheRetentionButParkedTransactionsAreKept() {
        RetentionDriver retention = new RetentionDriver(log, commands, scheduler, 60_000, 10_000, 1_000);
        drivers.add(retention);
        log.addLeaderListener(retention);
        log.lead(1);
        String ended = propose(commands.begin("10.0.0.1:8091", "orders", "g", "t", 60_000)).xid();
        propose(commands.rollback(ended));
        String parked = propose(commands.begin("10.0.0.1:8091", "orders", "g", "t", 60_000)).xid();
        long b = propose(commands.register(parked, BranchType.TCC, "a", null, "orders:127.0.0.1:1", null)).branchId();
        propose(commands.rollback(parked));
        propose(commands.phaseTwoResult(parked, b, BranchStatus.PhaseTwo_RollbackFailed_Retryable));
        clock.set(START + 5_000);
        assertTrue(propose(commands.park(parked, GlobalStatus.RollbackRetryTimeout, 1_000, false)).applied());
        scheduler.advance(Duration.ofSeconds(60));
        assertTrue(log.view().ended(ended).isPresent(), "kept for the retention");
        scheduler.advance(Duration.ofSeconds(20));
        assertTrue(log.view().ended(ended).isEmpty(), "purged once older than the retention");
        assertEquals(GlobalStatus.RollbackRetryTimeout, log.view().status(parked).orElseThrow());
    }

    private static final class Targets implements UndoLogTargets {
        final Set<String> connected;
        final List<String> sent = new ArrayList<>();

        Targets(Set<String> connected) {
            this.connected = connected;
        }

        @Override
        public Set<String> connectedResources() {
            return connected;
        }

        @Override
        public boolean sendToOne(UndoLogDeleteRequest request) {
            sent.add(request.resourceId() + "/" + request.branchType() + "/" + request.saveDays());
            return true;
        }
    }

    @Test
    void undoLogDeletesGoToEachConnectedAtResourceThreeMinutesAfterLeadingThenEveryPeriod() {
        AtResources at = new AtResources();
        at.seen("jdbc:mysql://db/orders");
        at.seen("jdbc:mysql://db/stock");
        Targets targets = new Targets(Set.of("jdbc:mysql://db/orders", "tcc-action", "jdbc:mysql://db/stock"));
        NodeConfig.Recovery recovery = new NodeConfig.Recovery(-1, -1, false, 1_000, 1_000, 1_000, 1_000, 70_000, 3,
                60 * 60 * 1_000L);
        UndoLogDeleteDriver undo = new UndoLogDeleteDriver(targets, at, scheduler, recovery);
        drivers.add(undo);
        log.addLeaderListener(undo);
        log.lead(1);
        scheduler.advance(Duration.ofMinutes(3).minusMillis(1));
        assertEquals(List.of(), targets.sent);
        scheduler.advance(Duration.ofMillis(1));
        assertEquals(List.of("jdbc:mysql://db/orders/AT/3", "jdbc:mysql://db/stock/AT/3"), targets.sent,
                "one request per AT resource, TCC resources skipped");
        scheduler.advance(Duration.ofHours(1));
        assertEquals(4, targets.sent.size(), "again after the period");
        log.loseLeadership();
        scheduler.advance(Duration.ofHours(5));
        assertEquals(4, targets.sent.size(), "only the leader sends");
    }
}
