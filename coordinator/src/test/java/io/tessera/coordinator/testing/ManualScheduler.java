package io.tessera.coordinator.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ScheduledExecutorService} on virtual time: tasks run on the test's thread, in time order, only
 * inside {@link #runDue()} and {@link #advance}, which also moves the {@link ManualClock}. Everything the
 * code under test schedules or executes is therefore deterministic. A task that throws fails the advance.
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
    private final ManualClock clock;
    private final PriorityQueue<Task<?>> queue = new PriorityQueue<>(
            Comparator.<Task<?>>comparingLong(t -> t.at).thenComparingLong(t -> t.seq));
    private long seq;
    private boolean shutdown;
    private final List<Throwable> failures = new ArrayList<>();

    public ManualScheduler(ManualClock clock) {
        this.clock = clock;
    }

    public ManualClock clock() {
        return clock;
    }

    /** Runs every task due now, including those they schedule for now. */
    public synchronized void runDue() {
        runUntil(clock.millis());
    }

    /** Moves time forward by {@code d}, running every task that falls due on the way, each at its own time. */
    public synchronized void advance(Duration d) {
        runUntil(clock.millis() + d.toMillis());
    }

    /** Tasks waiting (cancelled ones excluded). */
    public synchronized int pending() {
        return (int) queue.stream().filter(t -> !t.isCancelled()).count();
    }

    private void runUntil(long target) {
        while (true) {
            Task<?> next = queue.peek();
            if (next == null || next.at > target) {
                break;
            }
            queue.poll();
            if (next.isCancelled()) {
                continue;
            }
            if (next.at > clock.millis()) {
                clock.set(next.at);
            }
            next.fire();
        }
        if (target > clock.millis()) {
            clock.set(target);
        }
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError("a scheduled task failed", failures.get(0));
            failures.clear();
            throw e;
        }
    }

    private synchronized <V> Task<V> add(Task<V> t) {
        if (shutdown) {
            throw new java.util.concurrent.RejectedExecutionException("shut down");
        }
        queue.add(t);
        return t;
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.MILLISECONDS);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return add(new Task<>(Executors.callable(command), clock.millis() + unit.toMillis(delay), 0));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return add(new Task<>(callable, clock.millis() + unit.toMillis(delay), 0));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return add(new Task<>(Executors.callable(command), clock.millis() + unit.toMillis(initialDelay), unit.toMillis(period)));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return add(new Task<>(Executors.callable(command), clock.millis() + unit.toMillis(initialDelay), -unit.toMillis(delay)));
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        queue.clear();
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }

    private static final class Executors {
        static Callable<Object> callable(Runnable r) {
            return () -> {
                r.run();
                return null;
            };
        }
    }

    private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
        long at;
        final long seqNo;
        final long seq;
        /** 0 once, > 0 fixed rate, < 0 fixed delay. */
        final long period;

        Task(Callable<V> callable, long at, long period) {
            super(callable);
            this.at = at;
            this.period = period;
            this.seqNo = ManualScheduler.this.seq++;
            this.seq = seqNo;
        }

        void fire() {
            if (period == 0) {
                run();
                Throwable failure = failureOf(this);
                if (failure != null) {
                    failures.add(failure);
                }
                return;
            }
            if (!runAndReset()) {
                if (!isCancelled()) {
                    failures.add(failureOf(this));
                }
                return;
            }
            at = period > 0 ? at + period : clock.millis() - period;
            queue.add(this);
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(at - clock.millis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(getDelay(TimeUnit.MILLISECONDS), o.getDelay(TimeUnit.MILLISECONDS));
        }
    }

    private static Throwable failureOf(FutureTask<?> t) {
        if (!t.isDone() || t.isCancelled()) {
            return null;
        }
        try {
            t.get();
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException | java.util.concurrent.CancellationException e) {
            return null;
        }
    }
}
