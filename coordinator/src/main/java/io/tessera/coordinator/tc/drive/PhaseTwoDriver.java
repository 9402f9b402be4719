package io.tessera.coordinator.tc;

import io.tessera.codec.message.BranchEndRequest;
import io.tessera.codec.message.BranchEndResponse;
import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.text.ClientText;
import io.tessera.raft.group.LeaderListener;
import io.tessera.raft.tx.BranchRecord;
import io.tessera.raft.tx.BranchResult;
import io.tessera.raft.tx.GlobalTxRecord;
import io.tessera.raft.tx.TxCommands;
import io.tessera.raft.tx.TxView;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader-only: delivers BranchCommit/BranchRollback for every decided transaction and records each
 * RM's answer through Raft, retrying with backoff until the transaction ends.
 *
 * <p>Work is tied to the term in which this node leads: it starts on onLeaderStart(term) with a sweep
 * of every transaction still in phase two (so a new leader carries on where the old one stood), and
 * every round re-checks the term before proposing, so a deposed leader stops at once. It never
 * mutates state itself; all it does is propose phase-two results.
 */
public final class PhaseTwoDriver implements LeaderListener, TxEventListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PhaseTwoDriver.class);
    private static final Set<GlobalStatus> COMMITTING = EnumSet.of(GlobalStatus.Committing,
            GlobalStatus.CommitRetrying, GlobalStatus.AsyncCommitting);
    private static final Set<GlobalStatus> ROLLING_BACK = EnumSet.of(GlobalStatus.Rollbacking,
            GlobalStatus.RollbackRetrying, GlobalStatus.TimeoutRollbacking, GlobalStatus.TimeoutRollbackRetrying);
    private static final int SWEEP_BATCH = 1_000;

    private final Proposer proposer;
    private final TxView view;
    private final TxCommands commands;
    private final PhaseTwoDelivery delivery;
    private final ScheduledExecutorService scheduler;
    private final TcOptions options;
    private final BiConsumer<String, GlobalStatus> acknowledged;

    /** The term this node leads in, or -1. */
    private volatile long term = -1;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();
    private final Map<String, ScheduledFuture<?>> retries = new ConcurrentHashMap<>();
    private volatile ScheduledFuture<?> sweeper;

    public PhaseTwoDriver(Proposer proposer, TxView view, TxCommands commands, PhaseTwoDelivery delivery,
            ScheduledExecutorService scheduler, TcOptions options, BiConsumer<String, GlobalStatus> acknowledged) {
        this.proposer = proposer;
        this.view = view;
        this.commands = commands;
        this.delivery = delivery;
        this.scheduler = scheduler;
        this.options = options;
        this.acknowledged = acknowledged;
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
        attempts.clear();
        LOG.info("phase-two driver stopped (term {} ended)", oldTerm);
    }

    @Override
    public void onDecided(String xid, GlobalStatus status) {
        long t = term;
        if (t != -1 && (COMMITTING.contains(status) || ROLLING_BACK.contains(status))) {
            scheduler.execute(() -> drive(xid, t));
        }
    }

    @Override
    public void onEnded(String xid, GlobalStatus finalStatus) {
        attempts.remove(xid);
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
            for (GlobalStatus s : List.of(GlobalStatus.Committing, GlobalStatus.CommitRetrying,
                    GlobalStatus.AsyncCommitting, GlobalStatus.Rollbacking, GlobalStatus.RollbackRetrying,
                    GlobalStatus.TimeoutRollbacking, GlobalStatus.TimeoutRollbackRetrying)) {
                for (GlobalTxRecord g : view.byStatus(s, SWEEP_BATCH)) {
                    if (!retries.containsKey(g.xid())) {
                        drive(g.xid(), t);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("phase-two sweep failed: {}", e.toString());
        }
    }

    /** One round of phase two for {@code xid}; at most one round per transaction at a time. */
    void drive(String xid, long t) {
        if (term != t || !running.add(xid)) {
            return;
        }
        Optional<GlobalTxRecord> global = view.global(xid);
        if (global.isEmpty()) {
            running.remove(xid);
            return;
        }
        GlobalStatus status = global.get().status();
        boolean commit = COMMITTING.contains(status);
        if (!commit && !ROLLING_BACK.contains(status)) {
            running.remove(xid);
            return;
        }
        List<BranchRecord> branches = view.branches(xid);
        CompletableFuture<Boolean> round = commit ? commitAll(xid, branches, t) : rollbackInReverse(xid, branches, t);
        round.whenComplete((allDone, e) -> {
            running.remove(xid);
            if (term != t) {
                return;
            }
            if (e != null) {
                LOG.warn("phase two of xid {} interrupted: {}", xid, ClientText.of(Proposer.unwrap(e).toString(), 400));
            }
            if (view.global(xid).isPresent()) {
                scheduleRetry(xid, t);
            }
        });
    }

    /**
     * Commit order does not matter (TCC/AT/XA branches are independent): all branches at once, then
     * all answers recorded together.
     */
    private CompletableFuture<Boolean> commitAll(String xid, List<BranchRecord> branches, long t) {
        List<CompletableFuture<BranchStatus>> answers = new ArrayList<>(branches.size());
        for (BranchRecord b : branches) {
            answers.add(send(true, b));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenComposeAsync(v -> {
            List<BranchStatus> statuses = answers.stream().map(CompletableFuture::join).toList();
            boolean allDone = statuses.stream().allMatch(s -> isDone(true, s));
            if (allDone && term == t && branches.stream().noneMatch(b -> b.lockKey() != null && !b.lockKey().isEmpty())) {
                // Every RM has committed and the decision is durable, so the TM may hear Committed now,
                // one consensus round before the results are applied. Should this leader die first, its
                // successor sends the (idempotent) BranchCommits again. Not for branches holding row
                // locks: those are released only when the results apply, and a TM that heard Committed
                // may at once start a transaction needing the same rows.
                acknowledged.accept(xid, GlobalStatus.Committed);
            }
            return record(branches, statuses, t).thenApply(ok -> ok && allDone);
        }, scheduler);
    }

    /**
     * Rollback undoes the newest branch first, one at a time, and stops at the first failure (as
     * Seata); the answers are recorded together at the end of the round.
     */
    private CompletableFuture<Boolean> rollbackInReverse(String xid, List<BranchRecord> branches, long t) {
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
        return delivery.deliver(request, b.clientId()).handle((response, error) -> outcome(commit, b, response, error));
    }

    /**
     * Records the answers of one round through Raft in one entry (one consensus round however many
     * branches answered); true once it applied.
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
        return proposer.propose(commands.phaseTwoResults(xid, results)).thenApply(o -> true);
    }

    private static BranchStatus outcome(boolean commit, BranchRecord b, BranchEndResponse response, Throwable error) {
        if (error != null || response == null || response.branchStatus() == null) {
            LOG.info("phase two {} of branch {} (xid {}) not delivered: {}", commit ? "commit" : "rollback",
                    b.branchId(), b.xid(), error == null ? "no status" : ClientText.of(Proposer.unwrap(error).getMessage(), 400));
            return commit ? BranchStatus.PhaseTwo_CommitFailed_Retryable : BranchStatus.PhaseTwo_RollbackFailed_Retryable;
        }
        return response.branchStatus();
    }

    private static boolean isDone(boolean commit, BranchStatus s) {
        return commit ? s == BranchStatus.PhaseTwo_Committed : s == BranchStatus.PhaseTwo_Rollbacked;
    }

    private void scheduleRetry(String xid, long t) {
        int n = attempts.merge(xid, 1, Integer::sum);
        long delay = Math.min(options.retryMaxMs(), options.retryBaseMs() << Math.min(n - 1, 16));
        ScheduledFuture<?> f = scheduler.schedule(() -> {
            retries.remove(xid);
            drive(xid, t);
        }, delay, TimeUnit.MILLISECONDS);
        ScheduledFuture<?> old = retries.put(xid, f);
        if (old != null) {
            old.cancel(false);
        }
    }

    @Override
    public void close() {
        onLeaderStop(term);
    }
}
