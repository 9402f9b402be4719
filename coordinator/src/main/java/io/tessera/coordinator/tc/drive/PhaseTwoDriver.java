package io.tessera.coordinator.tc.drive;

import io.tessera.codec.message.BranchEndRequest;
import io.tessera.codec.message.BranchEndResponse;
import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.text.ClientText;
import io.tessera.coordinator.config.NodeConfig;
import io.tessera.coordinator.tc.TcOptions;
import io.tessera.coordinator.tc.port.BranchDelivery;
import io.tessera.coordinator.tc.port.PhaseTwoProgress;
import io.tessera.coordinator.tc.port.TxLog;
import io.tessera.raft.group.LeaderListener;
import io.tessera.raft.group.ProposalOptions;
import io.tessera.raft.tx.BranchRecord;
import io.tessera.raft.tx.BranchResult;
import io.tessera.raft.tx.GlobalTxRecord;
import io.tessera.raft.tx.TxCommands;
import io.tessera.raft.tx.TxEvent;
import io.tessera.raft.tx.TxEventListener;
import io.tessera.raft.tx.TxOutcome;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader-only: delivers BranchCommit/BranchRollback for every decided transaction and records each round
 * of RM answers through the log, retrying with backoff until the transaction ends - or gives up at the
 * max retry timeout of its kind and parks it (Seata's recovery, {@link RetrySchedule}). It never changes
 * state itself: it proposes phase-two results and parks.
 *
 * <p>Work starts on onLeaderStart(term) with a sweep of every transaction still in phase two (so a new
 * leader carries on where the old one stood) and on each applied decision. The term only retires the
 * timers and rounds of a past leadership; it is not the fence against a deposed leader - that is jraft's
 * expected term on every proposal, and recording what an RM answered is harmless even late (a repeat of an
 * answer is refused or changes nothing).
 */
public final class PhaseTwoDriver implements LeaderListener, TxEventListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PhaseTwoDriver.class);
    private static final List<GlobalStatus> PHASE_TWO = List.of(GlobalStatus.Committing, GlobalStatus.CommitRetrying,
            GlobalStatus.AsyncCommitting, GlobalStatus.Rollbacking, GlobalStatus.RollbackRetrying,
            GlobalStatus.TimeoutRollbacking, GlobalStatus.TimeoutRollbackRetrying);
    private static final int SWEEP_BATCH = 1_000;

    private final TxLog log;
    private final TxCommands commands;
    private final BranchDelivery delivery;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final TcOptions options;
    private final RetrySchedule schedule;
    private final PhaseTwoProgress progress;

    /** The term this node leads in, or -1. */
    private volatile long term = -1;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    /** Decided under this leader and not driven yet: their first round is never given up (as Seata's TM-driven one). */
    private final Set<String> fresh = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> failedRounds = new ConcurrentHashMap<>();
    private final Map<String, ScheduledFuture<?>> retries = new ConcurrentHashMap<>();
    private final Set<String> warnedDead = ConcurrentHashMap.newKeySet();
    private volatile ScheduledFuture<?> sweeper;

    public PhaseTwoDriver(TxLog log, TxCommands commands, BranchDelivery delivery, ScheduledExecutorService scheduler,
            Clock clock, TcOptions options, NodeConfig.Recovery recovery, PhaseTwoProgress progress) {
        this.log = log;
        this.commands = commands;
        this.delivery = delivery;
        this.scheduler = scheduler;
        this.clock = clock;
        this.options = options;
        this.schedule = new RetrySchedule(recovery, options.maxBackoffMs());
        this.progress = progress;
    }

    @Override
    public void onLeaderStart(long newTerm) {
        term = newTerm;
        sweeper = scheduler.scheduleWithFixedDelay(() -> sweep(newTerm), 0, options.sweepIntervalMs(),
                TimeUnit.MILLISECONDS);
        LOG.info("phase-two driver active for term {}", newTerm);
    }

    @Override
    public void onLeaderStop(long oldTerm) {
        term = -1;
        ScheduledFuture<?> s = sweeper;
        if (s != null) {
            s.cancel(false);
        }
        retries.values().forEach(f -> f.cancel(false));
        retries.clear();
        failedRounds.clear();
        fresh.clear();
        warnedDead.clear();
        LOG.info("phase-two driver stopped (term {} ended)", oldTerm);
    }

    @Override
    public void onEvent(TxEvent e) {
        switch (e.kind()) {
            case DECIDED -> {
                long t = term;
                if (t != -1 && e.status().isPhaseTwo()) {
                    fresh.add(e.xid());
                    scheduler.execute(() -> drive(e.xid(), t));
                }
            }
            case ENDED, PARKED -> forget(e.xid());
            case RETRYING -> {
            }
        }
    }

    private void forget(String xid) {
        failedRounds.remove(xid);
        fresh.remove(xid);
        warnedDead.remove(xid);
        ScheduledFuture<?> f = retries.remove(xid);
        if (f != null) {
            f.cancel(false);
        }
    }

    private void sweep(long t) {
        if (term != t) {
            return;
        }
        try {
            for (GlobalStatus s : PHASE_TWO) {
                for (GlobalTxRecord g : log.view().byStatus(s, SWEEP_BATCH)) {
                    if (!retries.containsKey(g.xid()) && !running.contains(g.xid())) {
                        drive(g.xid(), t);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("phase-two sweep failed: {}", e.toString());
        }
    }

    /** One round of phase two for {@code xid} (or its park); at most one at a time per transaction. */
    private void drive(String xid, long t) {
        if (term != t || !running.add(xid)) {
            return;
        }
        boolean first = fresh.remove(xid);
        Optional<GlobalTxRecord> global = log.view().global(xid);
        if (global.isEmpty() || !global.get().status().isPhaseTwo()) {
            running.remove(xid);
            return;
        }
        GlobalTxRecord g = global.get();
        GlobalStatus status = g.status();
        if (!first) {
            long now = clock.millis();
            warnIfDead(g, now);
            if (schedule.givesUp(status, g.beginTime(), now)) {
                park(g, t);
                return;
            }
        }
        // A branch an operator stopped (console stopBranchSession, STOP_RETRY) is left alone until started again.
        List<BranchRecord> branches = log.view().branches(xid).stream()
                .filter(b -> b.status() != BranchStatus.STOP_RETRY).toList();
        CompletableFuture<Boolean> round = status.isCommitFamily() ? commitAll(xid, branches, t)
                : rollbackInReverse(branches, t);
        round.whenComplete((allDone, e) -> {
            try {
                if (term != t) {
                    return;
                }
                if (e != null) {
                    LOG.warn("phase two of xid {} interrupted: {}", xid, ClientText.of(unwrap(e).toString(), 400));
                }
                // Scheduled before the transaction counts as idle, so a sweep in between does not drive it too.
                log.view().global(xid).filter(after -> after.status().isPhaseTwo())
                        .ifPresent(after -> scheduleRetry(xid, after.status(), t));
            } finally {
                running.remove(xid);
            }
        });
    }

    /** Seata's dead-session notion: phase two still running this long after the global began; said once. */
    private void warnIfDead(GlobalTxRecord g, long now) {
        long age = now - g.beginTime();
        if (age > schedule.deadThresholdMs() && warnedDead.add(g.xid())) {
            LOG.warn("phase two of xid {} still not done {} ms after the transaction began (retry-dead-threshold {} ms):"
                    + " status {}, {} failed round(s) under this leader", g.xid(), age, schedule.deadThresholdMs(),
                    g.status(), failedRounds.getOrDefault(g.xid(), 0));
        }
    }

    /** Gives up phase two at the max retry timeout: a replicated park, stamped by this leader. */
    private void park(GlobalTxRecord g, long t) {
        String xid = g.xid();
        GlobalStatus status = g.status();
        GlobalStatus to = RetrySchedule.parkedStatus(status);
        long timeout = schedule.retryTimeoutMs(status);
        boolean unlock = schedule.releasesLocks(status);
        log.propose(commands.park(xid, to, timeout, unlock), ProposalOptions.once(options.decisionBudgetMs()))
                .whenComplete((o, e) -> {
                    try {
                        parked(g, to, timeout, unlock, o, e, t);
                    } finally {
                        running.remove(xid);
                    }
                });
    }

    /** The park's outcome: logged for operators once applied; retried like a round when not recorded. */
    private void parked(GlobalTxRecord g, GlobalStatus to, long timeout, boolean unlock, TxOutcome o, Throwable e,
            long t) {
        String xid = g.xid();
        GlobalStatus status = g.status();
        if (e == null && o.success() && o.applied()) {
            LOG.error("global transaction {} gave up phase two: still {} {} ms after it began (max {} retry timeout"
                    + " {} ms); kept as {}{}, to be handled by an operator", xid, status, clock.millis() - g.beginTime(),
                    status.isCommitFamily() ? "commit" : "rollback", timeout, to,
                    status.isRollbackFamily() ? (unlock ? ", row locks released" : ", row locks kept") : "");
            return;
        }
        if (e == null && o.success()) {
            return;
        }
        // Not recorded (no leader, or another leader's clock says "not yet"): asked again next round.
        LOG.warn("give-up of xid {} not recorded yet: {}", xid, e != null ? unwrap(e).toString()
                : ClientText.of(o.message(), 400));
        if (term == t) {
            scheduleRetry(xid, status, t);
        }
    }

    /**
     * Commit order does not matter (TCC/AT/XA branches are independent): all branches at once, then all
     * answers recorded together.
     */
    private CompletableFuture<Boolean> commitAll(String xid, List<BranchRecord> branches, long t) {
        List<CompletableFuture<BranchStatus>> answers = new ArrayList<>(branches.size());
        for (BranchRecord b : branches) {
            answers.add(send(true, b));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenComposeAsync(v -> {
            List<BranchStatus> statuses = answers.stream().map(CompletableFuture::join).toList();
            boolean allDone = statuses.stream().allMatch(s -> isDone(true, s));
            if (allDone && term == t) {
                // Every RM has committed and the decision is durable, so the TM may hear Committed now, one
                // consensus round before the results apply; should this leader die first, its successor sends
                // the idempotent BranchCommits again. Row locks are no concern: the commit decision released
                // every lock of the global when it applied.
                progress.confirmed(xid, GlobalStatus.Committed);
            }
            return record(branches, statuses, t).thenApply(ok -> ok && allDone);
        }, scheduler);
    }

    /**
     * Rollback undoes the newest branch first, one at a time, and stops at the first failure (as Seata);
     * the answers are recorded together at the end of the round.
     */
    private CompletableFuture<Boolean> rollbackInReverse(List<BranchRecord> branches, long t) {
        List<BranchRecord> reversed = new ArrayList<>(branches);
        Collections.reverse(reversed);
        List<BranchRecord> tried = new ArrayList<>(reversed.size());
        List<BranchStatus> statuses = new ArrayList<>(reversed.size());
        CompletableFuture<Boolean> chain = CompletableFuture.completedFuture(true);
        for (BranchRecord b : reversed) {
            chain = chain.thenCompose(ok -> {
                if (!ok || term != t) {
                    return CompletableFuture.completedFuture(false);
                }
                return send(false, b).thenApply(status -> {
                    // Sequential: only one stage of this chain runs at a time, so the lists need no lock.
                    tried.add(b);
                    statuses.add(status);
                    return isDone(false, status);
                });
            });
        }
        return chain.thenComposeAsync(allDone -> record(tried, statuses, t).thenApply(ok -> ok && allDone),
                scheduler);
    }

    /** Sends one branch's phase-two request; completes with the RM's answer or a retryable failure. */
    private CompletableFuture<BranchStatus> send(boolean commit, BranchRecord b) {
        BranchEndRequest request = new BranchEndRequest(commit, b.xid(), b.branchId(), b.branchType(),
                b.resourceId(), b.applicationData());
        CompletableFuture<BranchEndResponse> answer;
        try {
            answer = delivery.deliver(request, b.clientId());
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.handle((response, error) -> outcome(commit, b, response, error));
    }

    /**
     * Records the answers of one round in one entry (one consensus round however many branches answered);
     * true once it applied. Not proposed once this leadership is over: the next leader drives its own rounds.
     */
    private CompletableFuture<Boolean> record(List<BranchRecord> branches, List<BranchStatus> statuses, long t) {
        if (term != t || branches.isEmpty()) {
            return CompletableFuture.completedFuture(false);
        }
        List<BranchResult> results = new ArrayList<>(branches.size());
        for (int i = 0; i < branches.size(); i++) {
            results.add(new BranchResult(branches.get(i).branchId(), statuses.get(i)));
        }
        String xid = branches.get(0).xid();
        return log.propose(commands.phaseTwoResults(xid, results), ProposalOptions.once(options.decisionBudgetMs()))
                .thenApply(o -> true);
    }

    private static BranchStatus outcome(boolean commit, BranchRecord b, BranchEndResponse response, Throwable error) {
        if (error != null || response == null || response.branchStatus() == null) {
            LOG.info("phase two {} of branch {} (xid {}) not delivered: {}", commit ? "commit" : "rollback",
                    b.branchId(), b.xid(), error == null ? "no status" : ClientText.of(unwrap(error).getMessage(), 400));
            return commit ? BranchStatus.PhaseTwo_CommitFailed_Retryable : BranchStatus.PhaseTwo_RollbackFailed_Retryable;
        }
        return response.branchStatus();
    }

    private static boolean isDone(boolean commit, BranchStatus s) {
        return commit ? s == BranchStatus.PhaseTwo_Committed : s == BranchStatus.PhaseTwo_Rollbacked;
    }

    private void scheduleRetry(String xid, GlobalStatus status, long t) {
        int n = failedRounds.merge(xid, 1, Integer::sum);
        long delay = schedule.delayMs(status, n);
        ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
        self[0] = scheduler.schedule(() -> {
            retries.remove(xid, self[0]);
            drive(xid, t);
        }, delay, TimeUnit.MILLISECONDS);
        ScheduledFuture<?> old = retries.put(xid, self[0]);
        if (old != null) {
            old.cancel(false);
        }
    }

    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    @Override
    public void close() {
        onLeaderStop(term);
    }
}
