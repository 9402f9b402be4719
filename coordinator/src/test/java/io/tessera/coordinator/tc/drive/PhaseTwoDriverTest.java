package io.tessera.coordinator.tc.drive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.coordinator.config.NodeConfig;
import io.tessera.coordinator.tc.TcOptions;
import io.tessera.coordinator.testing.InProcessTxLog;
import io.tessera.coordinator.testing.ManualClock;
import io.tessera.coordinator.testing.ManualScheduler;
import io.tessera.coordinator.testing.ScriptedRm;
import io.tessera.raft.group.ProposalOptions;
import io.tessera.raft.proto.TxCommand;
import io.tessera.raft.tx.TxCommands;
import io.tessera.raft.tx.TxOutcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The phase-two driver against the in-process port, a scripted RM and virtual time: rounds, retries with
 * backoff per kind, give-up at the max retry timeout (a replicated park), leadership lost in the middle of
 * a round, late and duplicate answers, the dead-retry warning.
 */
class PhaseTwoDriverTest {
    private static final long START = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(START);
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final TxCommands commands = new TxCommands();
    private final ScriptedRm rm = new ScriptedRm(clock);
    private final List<String> confirmed = new ArrayList<>();
    private InProcessTxLog log;
    private PhaseTwoDriver driver;

    private void start(NodeConfig.Recovery recovery) throws Exception {
        log = new InProcessTxLog(dir, scheduler);
        driver = new PhaseTwoDriver(log, commands, rm, scheduler, clock,
                new TcOptions(4_000, 2_000, 1_000, 8_000, 60_000, 60_000), recovery, (xid, s) -> confirmed.add(xid));
        log.addEventListener(driver);
        log.addLeaderListener(driver);
        log.lead(1);
        scheduler.runDue();
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
        if (log != null) {
            log.close();
        }
    }

    private static NodeConfig.Recovery recovery(long maxCommitMs, long maxRollbackMs, boolean unlock) {
        return new NodeConfig.Recovery(maxCommitMs, maxRollbackMs, unlock, 1_000, 1_000, 1_000, 1_000, 70_000, 7,
                86_400_000L);
    }

    private TxOutcome propose(TxCommand c) {
        TxOutcome o = log.propose(c, ProposalOptions.once(1_000)).join();
        scheduler.runDue();
        return o;
    }

    private String begin() {
        return propose(commands.begin("10.0.0.1:8091", "orders", "tx-group", "t", 60_000)).xid();
    }

    private long register(String xid, BranchType type, String resource, String lockKey) {
        TxOutcome o = propose(commands.register(xid, type, resource, lockKey, "orders:127.0.0.1:1", null));
        assertTrue(o.success(), o.toString());
        return o.branchId();
    }

    private GlobalStatus status(String xid) {
        return log.view().status(xid).orElseThrow();
    }

    private List<Long> deliveryTimes() {
        return rm.calls().stream().map(c -> c.atMillis() - START).toList();
    }

    @Test
    void aCommitRoundDeliversToEveryBranchAndIsRecordedAsOneEntry() throws Exception {
        start(recovery(-1, -1, false));
        String xid = begin();
        register(xid, BranchType.TCC, "a", null);
        register(xid, BranchType.TCC, "b", null);
        propose(commands.commit(xid));
        assertEquals(2, rm.calls().size());
        assertEquals(GlobalStatus.Committed, status(xid));
        assertEquals(List.of(xid), confirmed, "every RM confirmed before the round applied");
        assertEquals(1, log.applied().stream().filter(TxCommand::hasPhaseTwoBatch).count());
    }

    @Test
    void aFailedRoundIsRetriedAfterTheKindsPeriodDoublingEachTime() throws Exception {
        start(recovery(-1, -1, false));
        String xid = begin();
        register(xid, BranchType.TCC, "a", null);
        rm.answering(BranchStatus.PhaseTwo_CommitFailed_Retryable);
        propose(commands.commit(xid));
        scheduler.advance(Duration.ofMillis(7_000));
        assertEquals(List.of(0L, 1_000L, 3_000L, 7_000L), deliveryTimes(), "1 s period, then 2 s, 4 s");
        assertEquals(GlobalStatus.CommitRetrying, status(xid));
        scheduler.advance(Duration.ofMillis(8_000 + 8_000));
        assertEquals(List.of(0L, 1_000L, 3_000L, 7_000L, 15_000L, 23_000L), deliveryTimes(), "capped at 8 s");
        rm.answering(BranchStatus.PhaseTwo_Committed);
        scheduler.advance(Duration.ofMillis(8_000));
        assertEquals(GlobalStatus.Committed, status(xid));
        int calls = rm.calls().size();
        scheduler.advance(Duration.ofMinutes(1));
        assertEquals(calls, rm.calls().size(), "nothing after the end");
    }

    @Test
    void aCommitStillRetryingAtItsMaxRetryTimeoutIsParkedAndLeftAlone() throws Exception {
        start(recovery(5_000, -1, false));
        String xid = begin();
        register(xid, BranchType.TCC, "a", null);
        rm.unreachable();
        propose(commands.commit(xid));
        scheduler.advance(Duration.ofMillis(7_000));
        // Rounds at 0, 1 s, 3 s; the one due at 7 s finds 7 s > 5 s since begin and parks instead.
        assertEquals(List.of(0L, 1_000L, 3_000L), deliveryTimes());
        assertEquals(GlobalStatus.CommitRetryTimeout, status(xid));
        assertTrue(log.view().global(xid).isPresent(), "kept, live, for an operator");
        assertEquals(1, log.view().branches(xid).size());
        TxCommand park = log.applied().stream().filter(TxCommand::hasPark).findFirst().orElseThrow();
        assertEquals(5_000, park.getPark().getRetryTimeoutMillis());
        assertEquals(START + 7_000, park.getStampTime(), "stamped by the leader");
        rm.answering(BranchStatus.PhaseTwo_Committed);
        scheduler.advance(Duration.ofMinutes(5));
        assertEquals(3, rm.calls().size(), "no leader retries a parked transaction, the next one neither");
        log.loseLeadership();
        log.lead(2);
        scheduler.advance(Duration.ofMinutes(1));
        assertEquals(3, rm.calls().size());
        assertEquals(GlobalStatus.CommitRetryTimeout, status(xid));
    }

    @Test
    void aRollbackParkedAtItsTimeoutKeepsItsRowLocksUnlessUnlockIsEnabled() throws Exception {
        start(recovery(-1, 2_000, false));
        String kept = begin();
        register(kept, BranchType.AT, "jdbc:db", "t:1");
        rm.answering(BranchStatus.PhaseTwo_RollbackFailed_Retryable);
        propose(commands.rollback(kept));
        scheduler.advance(Duration.ofMillis(3_000));
        assertEquals(GlobalStatus.RollbackRetryTimeout, status(kept));
        assertFalse(log.view().lockable("jdbc:db", "t:1", "other"), "Seata's default: locks kept");
    }

    @Test
    void withUnlockEnabledAParkedRollbackReleasesItsRows() throws Exception {
        start(recovery(-1, 2_000, true));
        String xid = begin();
        register(xid, BranchType.AT, "jdbc:db", "t:1");
        rm.answering(BranchStatus.PhaseTwo_RollbackFailed_Retryable);
        propose(commands.rollback(xid));
        scheduler.advance(Duration.ofMillis(3_000));
        assertEquals(GlobalStatus.RollbackRetryTimeout, status(xid));
        assertTrue(log.view().lockable("jdbc:db", "t:1", "other"));
    }

    @Test
    void theFirstRoundIsNeverGivenUpAndAsyncCommitNeverIs() throws Exception {
        start(recovery(0, 0, false));
        String xid = begin();
        register(xid, BranchType.TCC, "a", null);
        rm.answering(BranchStatus.PhaseTwo_CommitFailed_Retryable);
        clock.set(clock.millis() + 100);
        propose(commands.commit(xid));
        assertEquals(1, rm.calls().size(), "the round right after the decision runs whatever the timeout");
        scheduler.advance(Duration.ofMillis(1_000));
        assertEquals(GlobalStatus.CommitRetryTimeout, status(xid));

        String at = begin();
        register(at, BranchType.AT, "jdbc:db", "t:9");
        propose(commands.commit(at));
        scheduler.advance(Duration.ofMillis(10_000));
        assertEquals(GlobalStatus.AsyncCommitting, status(at), "AsyncCommitting retries forever, as in Seata");
        assertTrue(rm.calls().stream().filter(c -> c.request().xid().equals(at)).count() > 2);
    }

    @Test
    void leadershipLostInTheMiddleOfARoundRecordsNothingAndTheNextLeaderCarriesOn() throws Exception {
        start(recovery(-1, -1, false));
        String xid = begin();
        register(xid, BranchType.TCC, "a", null);
        rm.holding();
        propose(commands.commit(xid));
        ScriptedRm.Call first = rm.calls().get(0);
        log.loseLeadership();
        first.answer(BranchStatus.PhaseTwo_Committed);  // a late answer, to a leader that no longer leads
        scheduler.runDue();
        assertEquals(GlobalStatus.Committing, status(xid), "nothing recorded by the deposed leader's round");
        assertFalse(log.applied().stream().anyMatch(TxCommand::hasPhaseTwoBatch));

        rm.answering(BranchStatus.PhaseTwo_Committed);
        log.lead(2);
        scheduler.runDue();
        assertEquals(2, rm.calls().size(), "the new leader's sweep sends the (idempotent) BranchCommit again");
        assertEquals(GlobalStatus.Committed, status(xid));
    }

    @Test
    void aDuplicateAnswerChangesNothing() throws Exception {
        start(recovery(-1, -1, false));
        String xid = begin();
        long a = register(xid, BranchType.TCC, "a", null);
        register(xid, BranchType.TCC, "b", null);
        rm.answering(r -> r.branchId() == a ? BranchStatus.PhaseTwo_Committed : BranchStatus.PhaseTwo_CommitFailed_Retryable);
        propose(commands.commit(xid));
        String digest = log.view().digest();
        TxOutcome again = propose(commands.phaseTwoResult(xid, a, BranchStatus.PhaseTwo_Committed));
        assertFalse(again.applied(), again.toString());
        assertEquals(digest, log.view().digest());
        rm.answering(BranchStatus.PhaseTwo_Committed);
        scheduler.advance(Duration.ofMillis(1_000));
        assertEquals(GlobalStatus.Committed, status(xid));
        assertEquals(1, rm.calls().stream().filter(c -> c.request().branchId() == a).count(),
                "a committed branch is gone from the next round");
    }

    @Test
    void aTransactionWhoseRetriesPassTheDeadThresholdIsReportedOnce() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(PhaseTwoDriver.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            start(new NodeConfig.Recovery(-1, -1, false, 1_000, 1_000, 1_000, 1_000, 3_000, 7, 86_400_000L));
            String xid = begin();
            register(xid, BranchType.TCC, "a", null);
            rm.unreachable();
            propose(commands.commit(xid));
            scheduler.advance(Duration.ofSeconds(60));
            List<String> dead = lines.list.stream().filter(e -> e.getLevel() == Level.WARN)
                    .map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("retry-dead-threshold")).toList();
            assertEquals(1, dead.size(), dead.toString());
            assertTrue(dead.get(0).contains(xid), dead.get(0));
        } finally {
            logger.detachAppender(lines);
        }
    }
}
