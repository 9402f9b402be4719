package io.tessera.coordinator.metrics;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One Seata meter's figures: a cumulative count and total (milliseconds for timers), and, over the last
 * window of at least {@link #WINDOW_NANOS}, the rate (Seata's {@code tps}) and the largest value (its
 * {@code max}). Seata resets its summaries and timers on every scrape, so two scrapers split the data;
 * here counts only grow and the windowed figures are the same for every scraper.
 *
 * <p>{@link #record} is called on the apply thread: two adds and a compare, no lock. {@link #roll} runs
 * on scrape under the caller's lock.
 */
final class WindowedStat {
    static final long WINDOW_NANOS = 10_000_000_000L;

    private final LongAdder count = new LongAdder();
    private final LongAdder totalMillis = new LongAdder();
    private final AtomicLong windowMax = new AtomicLong();
    private long windowStartNanos;
    private long windowStartCount;
    private double lastTps;
    private long lastWindowMax;

    WindowedStat(long nowNanos) {
        this.windowStartNanos = nowNanos;
    }

    /** @param millis the duration for timers, negative when unknown (counted, not timed) */
    void record(long millis) {
        count.increment();
        if (millis >= 0) {
            totalMillis.add(millis);
            windowMax.accumulateAndGet(millis, Math::max);
        }
    }

    /** Closes the window once it is old enough (call on scrape). */
    void roll(long nowNanos) {
        long elapsed = nowNanos - windowStartNanos;
        if (elapsed >= WINDOW_NANOS) {
            long c = count.sum();
            lastTps = (c - windowStartCount) * 1e9 / elapsed;
            windowStartCount = c;
            windowStartNanos = nowNanos;
            lastWindowMax = windowMax.getAndSet(0);
        }
    }

    long count() {
        return count.sum();
    }

    long totalMillis() {
        return totalMillis.sum();
    }

    double tps() {
        return lastTps;
    }

    long max() {
        return Math.max(lastWindowMax, windowMax.get());
    }

    double average() {
        long c = count.sum();
        return c == 0 ? 0 : (double) totalMillis.sum() / c;
    }
}
