package io.tessera.codec.text;

import java.util.function.LongSupplier;

/**
 * How many log lines one source (a connection, a peer address) may produce: {@code burst} lines, then
 * one more per {@code refillNanos}. A caller that may not log counts the line as suppressed; the next
 * line it is allowed to write reports how many were dropped ({@link #takeSuppressed()}), so a flood of
 * bad input costs a bounded number of lines and the operator still sees that it happened.
 *
 * <p>Thread-safe; cheap enough to call for every rejected request.
 */
public final class LogBudget {
    private final int burst;
    private final long refillNanos;
    private final LongSupplier nanoTime;
    private double tokens;
    private long last;
    private long suppressed;

    public LogBudget(int burst, long refillNanos, LongSupplier nanoTime) {
        if (burst <= 0 || refillNanos <= 0) {
            throw new IllegalArgumentException("burst and refill must be positive");
        }
        this.burst = burst;
        this.refillNanos = refillNanos;
        this.nanoTime = nanoTime;
        this.tokens = burst;
        this.last = nanoTime.getAsLong();
    }

    /** 5 lines at once, then one every 10 s: the default for one connection's repeated bad input. */
    public static LogBudget perConnection() {
        return new LogBudget(5, 10_000_000_000L, System::nanoTime);
    }

    /** True if a line may be written now; otherwise the line is counted as suppressed. */
    public synchronized boolean tryLog() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(burst, tokens + (double) (now - last) / refillNanos);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        suppressed++;
        return false;
    }

    /** Lines suppressed since the last call; call after a successful {@link #tryLog()} to report them. */
    public synchronized long takeSuppressed() {
        long n = suppressed;
        suppressed = 0;
        return n;
    }
}
