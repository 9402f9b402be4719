package io.tessera.coordinator.tc;

import io.tessera.codec.message.BranchEndRequest;
import io.tessera.codec.message.BranchEndResponse;
import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.raft.group.LeaderListener;
import io.tessera.raft.tx.BranchRecord;
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

    /** The term this node leads in, or -1. */
    private volatile long term = -1;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();
    private final Map<String, ScheduledFuture<?>> retries = new ConcurrentHashMap<>();
    private volatile ScheduledFuture<?> sweeper;

    public PhaseTwoDriver(Proposer proposer, TxView view, TxCommands commands, PhaseTwoDelivery delivery,
            ScheduledExecutorService scheduler, TcOptions options) {
        this.proposer = proposer;
        this.view = view;
        this.commands = commands;
        this.delivery = delivery;
        this.scheduler = scheduler;
        this.options = options;
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
                LOG.warn("phase two of xid {} interrupted: {}", xid, Proposer.unwrap(e).toString());
            }
            if (view.global(xid).isPresent()) {
                scheduleRetry(xid, t);
            }
        });
    }

    /** Commit order does not matter (TCC/AT/XA branches are independent): all branches at once. */
    private CompletableFuture<Boolean> commitAll(String xid, List<BranchRecord> branches, long t) {
        List<CompletableFuture<Boolean>> all = new ArrayList<>(branches.size());
        for (BranchRecord b : branches) {
            all.add(deliver(true, b, t));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .thenApply(v -> all.stream().allMatch(CompletableFuture::join));
    }

    /** Rollback undoes the newest branch first, one at a time, and stops at the first failure (as Seata). */
    private CompletableFuture<Boolean> rollbackInReverse(String xid, List<BranchRecord> branches, long t) {
        List<BranchRecord> reversed = new ArrayList<>(branches);
        Collections.reverse(reversed);
        CompletableFuture<Boolean> chain = CompletableFuture.completedFuture(true);
        for (BranchRecord b : reversed) {
            chain = chain.thenCompose(ok -> ok ? deliver(false, b, t) : CompletableFuture.completedFuture(false));
        }
        return chain;
    }

    /** Sends one branch's phase-two request and records the answer; true if the branch is done. */
    private CompletableFuture<Boolean> deliver(boolean commit, BranchRecord b, long t) {
        BranchEndRequest request = new BranchEndRequest(commit, b.xid(), b.branchId(), b.branchType(),
                b.resourceId(), b.applicationData());
        // The RM's answer completes on a Netty event loop; stamping and proposing belong off it.
        return delivery.deliver(request, b.clientId())
                .handleAsync((response, error) -> outcome(commit, b, response, error), scheduler)
                .thenCompose(status -> {
                    if (term != t) {
                        return CompletableFuture.completedFuture(false);
                    }
                    return proposer.propose(commands.phaseTwoResult(b.xid(), b.branchId(), status))
                            .thenApply(o -> isDone(commit, status));
                });
    }

    private static BranchStatus outcome(boolean commit, BranchRecord b, BranchEndResponse response, Throwable error) {
        if (error != null || response == null || response.branchStatus() == null) {
            LOG.info("phase two {} of branch {} (xid {}) not delivered: {}", commit ? "commit" : "rollback",
                    b.branchId(), b.xid(), error == null ? "no status" : Proposer.unwrap(error).getMessage());
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
