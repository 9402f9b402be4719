package io.tessera.coordinator.registry;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The loop of a registrar whose entry lives as long as it is renewed (a TTL key, a lease): renews on its
 * own thread at the registry's pace, backs off while the registry is unreachable, logs each change of
 * state once, and on close removes the entry if the registry answers in time (otherwise the registry's
 * own expiry removes it). The registrar's three steps run on the loop's one thread, so a lease's fields need
 * no locking.
 */
final class RenewalLoop {
    private final RegistrationState state;
    /** Creates or renews the entry; returns milliseconds until the next renewal. */
    private final Callable<Long> renew;
    /** After a failed renewal: drop a connection, move to the next server, forget a lost lease. */
    private final Runnable failed;
    /** Removes the entry at stop; returns whether the registry confirmed it. */
    private final Callable<Boolean> leave;
    private final long leaveTimeoutMs;
    private final Backoff backoff = new Backoff(500, 30_000);
    private final ScheduledExecutorService executor;
    private volatile boolean closed;

    RenewalLoop(String threadName, RegistrationState state, Callable<Long> renew, Runnable failed,
            Callable<Boolean> leave, long leaveTimeoutMs) {
        this.state = state;
        this.renew = renew;
        this.failed = failed;
        this.leave = leave;
        this.leaveTimeoutMs = leaveTimeoutMs;
        this.executor = Endpoints.thread(threadName);
    }

    void start() {
        executor.execute(this::renewNow);
    }

    boolean isRegistered() {
        return state.isRegistered();
    }

    private void renewNow() {
        if (closed) {
            return;
        }
        long delay;
        try {
            delay = renew.call();
            state.registered();
            backoff.reset();
        } catch (InterruptedException e) {
            // close() interrupts a call in flight: stop without rescheduling.
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            state.failed(e.toString());
            failed.run();
            delay = backoff.next();
        }
        if (!closed) {
            executor.schedule(this::renewNow, delay, TimeUnit.MILLISECONDS);
        }
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Queued behind a renewal in flight, so the entry is not re-created after it was removed.
        Future<Boolean> leaving = executor.submit(leave);
        boolean removed = false;
        try {
            removed = leaving.get(leaveTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            leaving.cancel(true);
        }
        executor.shutdownNow();
        state.deregistered(removed);
    }
}
