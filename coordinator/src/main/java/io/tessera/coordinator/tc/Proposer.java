package io.tessera.coordinator.tc;

import io.tessera.raft.group.GroupException;
import io.tessera.raft.group.RaftGroup;
import io.tessera.raft.tx.TxCommands;
import io.tessera.raft.tx.TxOutcome;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Proposes command drafts through the Raft group and decodes their results. */
public final class Proposer {
    private static final long RETRY_DELAY_MS = 50;

    private final RaftGroup group;
    private final TxCommands commands;
    private final ScheduledExecutorService scheduler;
    private final CompletableFuture<Void> started = new CompletableFuture<>();

    public Proposer(RaftGroup group, TxCommands commands, ScheduledExecutorService scheduler) {
        this.group = group;
        this.commands = commands;
        this.scheduler = scheduler;
    }

    /**
     * One proposal; the group already waits for a leader and retries where nothing can have applied.
     * Before the group has started (the front ends bind first) the request waits for the start, within
     * the request timeout: a client whose registry metadata still names a restarting node then gets an
     * answer instead of "group not started".
     */
    public CompletableFuture<TxOutcome> propose(byte[] draft) {
        return whenStarted().thenCompose(v -> group.propose(draft)).thenApply(commands::decode);
    }

    /** Called once the group has joined; releases the requests that arrived before. */
    void markStarted() {
        started.complete(null);
    }

    private CompletableFuture<Void> whenStarted() {
        if (started.isDone()) {
            return started;
        }
        CompletableFuture<Void> bounded = new CompletableFuture<>();
        started.whenComplete((v, e) -> bounded.complete(null));
        scheduler.schedule(() -> bounded.completeExceptionally(new GroupException(GroupException.Kind.UNAVAILABLE,
                "group not started")), group.options().requestTimeoutMs(), TimeUnit.MILLISECONDS);
        return bounded;
    }

    /**
     * For commands whose repetition is harmless (commit, rollback, phase-two results): an outcome the
     * group could not confirm (leader change, timeout) is proposed again until {@code deadlineNanos}.
     */
    public CompletableFuture<TxOutcome> proposeIdempotent(byte[] draft, long deadlineNanos) {
        CompletableFuture<TxOutcome> result = new CompletableFuture<>();
        attempt(draft, deadlineNanos, result);
        return result;
    }

    private void attempt(byte[] draft, long deadlineNanos, CompletableFuture<TxOutcome> result) {
        propose(draft).whenComplete((o, e) -> {
            if (e == null) {
                result.complete(o);
                return;
            }
            Throwable t = unwrap(e);
            boolean retryable = t instanceof GroupException g && g.kind() != GroupException.Kind.REJECTED
                    && g.kind() != GroupException.Kind.UNAVAILABLE;
            long left = deadlineNanos - System.nanoTime();
            if (!retryable || left <= TimeUnit.MILLISECONDS.toNanos(RETRY_DELAY_MS)) {
                result.completeExceptionally(t);
                return;
            }
            scheduler.schedule(() -> attempt(draft, deadlineNanos, result), RETRY_DELAY_MS, TimeUnit.MILLISECONDS);
        });
    }

    public CompletableFuture<Void> readBarrier() {
        return whenStarted().thenCompose(v -> group.readBarrier());
    }

    public boolean isLeader() {
        return group.isLeader();
    }

    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
