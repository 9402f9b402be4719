package io.tessera.coordinator.tc;

import io.tessera.codec.message.GlobalStatus;
import io.tessera.raft.tx.TxView;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets a GlobalCommit/GlobalRollback answer wait for the first round of phase two, as Seata's TC
 * does for TCC: it completes when the transaction ends, or when phase two reports a retryable
 * failure (then the TM gets CommitRetrying/RollbackRetrying at once instead of waiting for retries).
 * Works on every node, because every replica applies the same entries.
 */
public final class OutcomeWaiters implements TxEventListener {
    private final TxView view;
    private final Map<String, CompletableFuture<GlobalStatus>> waiting = new ConcurrentHashMap<>();

    public OutcomeWaiters(TxView view) {
        this.view = view;
    }

    /**
     * Completes with the final or retrying status. Never completes by itself otherwise: callers bound
     * it with a timeout.
     */
    public CompletableFuture<GlobalStatus> await(String xid) {
        CompletableFuture<GlobalStatus> f = waiting.computeIfAbsent(xid, k -> new CompletableFuture<>());
        // The event may have been applied before we registered: settle from the stored state.
        view.status(xid).filter(s -> s.isEnded() || ObservedStateMachine.isRetrying(s))
                .ifPresent(s -> complete(xid, s));
        return f;
    }

    /** Forget a waiter that gave up (timeout), so the map does not grow. */
    public void abandon(String xid, CompletableFuture<GlobalStatus> future) {
        waiting.remove(xid, future);
    }

    /**
     * The leader's phase-two driver heard every RM confirm phase two before the results applied: the
     * transaction's outcome is settled (see PhaseTwoDriver), so its waiter may be answered now.
     */
    public void acknowledged(String xid, GlobalStatus finalStatus) {
        complete(xid, finalStatus);
    }

    @Override
    public void onRetrying(String xid, GlobalStatus status) {
        complete(xid, status);
    }

    @Override
    public void onEnded(String xid, GlobalStatus finalStatus) {
        complete(xid, finalStatus);
    }

    private void complete(String xid, GlobalStatus status) {
        CompletableFuture<GlobalStatus> f = waiting.remove(xid);
        if (f != null) {
            f.complete(status);
        }
    }

    int size() {
        return waiting.size();
    }
}
