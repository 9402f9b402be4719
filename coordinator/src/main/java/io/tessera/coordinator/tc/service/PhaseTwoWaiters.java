package io.tessera.coordinator.tc.service;

import io.tessera.codec.message.GlobalStatus;
import io.tessera.coordinator.tc.port.PhaseTwoProgress;
import io.tessera.coordinator.tc.port.PhaseTwoWait;
import io.tessera.raft.tx.TxEvent;
import io.tessera.raft.tx.TxEventListener;
import io.tessera.raft.tx.TxView;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The first phase-two round of a decided transaction as this replica sees it: settled by the transaction's
 * end, a retrying round, a park at the retry timeout (events of this replica) or the leader driver's early
 * "every RM confirmed"; the wait is bounded, on the given scheduler.
 */
public final class PhaseTwoWaiters implements PhaseTwoWait, TxEventListener, PhaseTwoProgress {
    private final TxView view;
    private final ScheduledExecutorService timer;
    private final long waitMs;
    private final Map<String, CompletableFuture<GlobalStatus>> waiting = new ConcurrentHashMap<>();

    public PhaseTwoWaiters(TxView view, ScheduledExecutorService timer, long waitMs) {
        this.view = view;
        this.timer = timer;
        this.waitMs = waitMs;
    }

    @Override
    public CompletableFuture<Optional<GlobalStatus>> firstRound(String xid) {
        return firstRound(xid, waitMs);
    }

    /** Like {@link #firstRound(String)} with a wait of the caller's choosing (a follower asking the leader). */
    public CompletableFuture<Optional<GlobalStatus>> firstRound(String xid, long waitMillis) {
        CompletableFuture<GlobalStatus> f = waiting.computeIfAbsent(xid, k -> new CompletableFuture<>());
        // The round may have ended before we registered: settle from the stored state.
        view.status(xid).filter(PhaseTwoWaiters::settles).ifPresent(s -> complete(xid, s));
        CompletableFuture<Optional<GlobalStatus>> out = f.thenApply(Optional::of);
        if (!f.isDone()) {
            ScheduledFuture<?> expiry = timer.schedule(() -> {
                // Forget a waiter that gave up, so the map does not grow; others of the same xid share it.
                waiting.remove(xid, f);
                out.complete(Optional.empty());
            }, waitMillis, TimeUnit.MILLISECONDS);
            out.whenComplete((v, e) -> expiry.cancel(false));
        }
        return out;
    }

    private static boolean settles(GlobalStatus s) {
        return s.isEnded() || s.isRetrying();
    }

    @Override
    public void onEvent(TxEvent e) {
        if (e.kind() != TxEvent.Kind.DECIDED) {
            complete(e.xid(), e.status());
        }
    }

    /** The leader's driver heard every RM confirm a commit round before the results applied. */
    @Override
    public void confirmed(String xid, GlobalStatus outcome) {
        complete(xid, outcome);
    }

    private void complete(String xid, GlobalStatus status) {
        CompletableFuture<GlobalStatus> f = waiting.remove(xid);
        if (f != null) {
            f.complete(status);
        }
    }
}
