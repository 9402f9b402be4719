package io.tessera.coordinator.tc.adapter;

import io.tessera.coordinator.tc.port.TxLog;
import io.tessera.coordinator.tc.port.TxLogException;
import io.tessera.raft.group.GroupException;
import io.tessera.raft.group.LeaderListener;
import io.tessera.raft.group.ProposalOptions;
import io.tessera.raft.group.RaftGroup;
import io.tessera.raft.proto.TxCommand;
import io.tessera.raft.proto.TxResult;
import io.tessera.raft.tx.TxEventListener;
import io.tessera.raft.tx.TxOutcome;
import io.tessera.raft.tx.TxStateMachine;
import io.tessera.raft.tx.TxView;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@link TxLog} over the Raft group and its transaction state machine. The draft travels as an object to
 * the group (stamped on this node when it leads, serialised only to be forwarded); the result comes back
 * as the state machine's object when this node applied the entry for us, and is parsed once when it came
 * back from the leader. Retries are the group's (one loop per proposal).
 */
public final class RaftTxLog implements TxLog {
    private final RaftGroup group;
    private final TxStateMachine stateMachine;
    private final ScheduledExecutorService timer;
    private final CompletableFuture<Void> started = new CompletableFuture<>();

    public RaftTxLog(RaftGroup group, TxStateMachine stateMachine, ScheduledExecutorService timer) {
        this.group = group;
        this.stateMachine = stateMachine;
        this.timer = timer;
    }

    /** Called once the group has joined; releases the requests that arrived before. */
    public void markStarted() {
        started.complete(null);
    }

    @Override
    public CompletableFuture<TxOutcome> propose(TxCommand draft, ProposalOptions options) {
        return whenStarted(options.timeoutMs()).thenCompose(v -> group.propose(draft, options))
                .handle((result, error) -> {
                    if (error != null) {
                        throw failure(error);
                    }
                    return result instanceof TxResult r ? TxOutcome.of(r) : TxOutcome.decode((byte[]) result);
                });
    }

    @Override
    public CompletableFuture<Void> readBarrier() {
        return whenStarted(group.options().requestTimeoutMs()).thenCompose(v -> group.readBarrier())
                .handle((v, error) -> {
                    if (error != null) {
                        throw failure(error);
                    }
                    return null;
                });
    }

    @Override
    public TxView view() {
        return stateMachine.view();
    }

    @Override
    public void addEventListener(TxEventListener listener) {
        stateMachine.addEventListener(listener);
    }

    @Override
    public void addLeaderListener(LeaderListener listener) {
        group.addLeaderListener(listener);
    }

    /**
     * Before the group has started (the front ends bind first) a request waits for the start, within its
     * timeout: a client whose registry metadata still names a restarting node then gets an answer instead
     * of "group not started".
     */
    private CompletableFuture<Void> whenStarted(long timeoutMs) {
        if (started.isDone()) {
            return started;
        }
        CompletableFuture<Void> bounded = new CompletableFuture<>();
        started.whenComplete((v, e) -> bounded.complete(null));
        timer.schedule(() -> bounded.completeExceptionally(new GroupException(GroupException.Kind.UNAVAILABLE,
                "group not started")), timeoutMs, TimeUnit.MILLISECONDS);
        return bounded;
    }

    private static TxLogException failure(Throwable error) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof GroupException g) {
            TxLogException.Outcome outcome = g.kind() == GroupException.Kind.REJECTED
                    ? TxLogException.Outcome.NOT_APPLIED : TxLogException.Outcome.UNKNOWN;
            return new TxLogException(outcome, g.getMessage(), g);
        }
        return new TxLogException(TxLogException.Outcome.UNKNOWN, String.valueOf(t), t);
    }
}
