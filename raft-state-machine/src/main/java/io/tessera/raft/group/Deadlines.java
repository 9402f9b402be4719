package io.tessera.raft.group;

import io.tessera.raft.group.GroupException.Kind;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Guarantees every request future completes within its timeout, whatever jraft or the network do, and
 * that close() answers everything still pending.
 */
final class Deadlines implements AutoCloseable {
    private final ScheduledThreadPoolExecutor timer;
    private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();

    Deadlines(String name) {
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "tessera-group-timer-" + name);
            t.setDaemon(true);
            return t;
        });
        // Most requests finish long before their timeout; don't keep their cancelled tasks queued.
        timer.setRemoveOnCancelPolicy(true);
    }

    /** Fails {@code f} with the kind chosen at expiry (e.g. NO_LEADER vs TIMEOUT) unless done earlier. */
    <T> CompletableFuture<T> bound(CompletableFuture<T> f, long timeoutMs, String what, Supplier<Kind> kindOnExpiry) {
        pending.add(f);
        ScheduledFuture<?> task;
        try {
            task = timer.schedule(() -> f.completeExceptionally(
                    new GroupException(kindOnExpiry.get(), what + " not done within " + timeoutMs + " ms")),
                    timeoutMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            pending.remove(f);
            f.completeExceptionally(new GroupException(Kind.UNAVAILABLE, "group closed"));
            return f;
        }
        f.whenComplete((v, e) -> {
            task.cancel(false);
            pending.remove(f);
        });
        return f;
    }

    CompletableFuture<Void> delay(long ms) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        try {
            timer.schedule(() -> f.complete(null), ms, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            f.complete(null);
        }
        return f;
    }

    /** Runs {@code r} every {@code ms} on the timer thread (must be quick) until close. */
    void every(long ms, Runnable r) {
        try {
            timer.scheduleWithFixedDelay(r, ms, ms, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // closing: nothing to repeat any more
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        for (CompletableFuture<?> f : pending) {
            f.completeExceptionally(new GroupException(Kind.UNAVAILABLE, "group closed"));
        }
        pending.clear();
    }
}
