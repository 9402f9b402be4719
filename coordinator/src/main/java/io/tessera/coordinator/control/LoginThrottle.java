package io.tessera.coordinator.control;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Failed logins per source address, with exponential backoff. The first {@code freeFailures} failures
 * cost nothing; from then on each further attempt must wait {@code baseDelay × 2^(failures − free)},
 * capped at {@code maxDelay}, after the last failure. An attempt inside the wait is refused at once,
 * without checking the password, so guessing runs at one password per delay. While a source is throttled
 * only one of its attempts is checked at a time (parallel requests cannot all slip into the same slot).
 * A success forgets the source.
 *
 * <p>Bounded: at most {@code maxSources} addresses, least recently seen dropped first (forgetting one
 * resets its backoff: an attacker would need that many addresses, and each then gets its free attempts
 * anyway). All methods are synchronized; logins are rare.
 */
final class LoginThrottle {
    /** What {@link #tryAcquire} decided. */
    record Decision(boolean allowed, long retryAfterMillis) {
    }

    /** A checked failure: the count so far and how long the source must now wait (0 = not throttled yet). */
    record Failure(int failures, long waitMillis, long refusedUnchecked) {
    }

    private static final class Source {
        int failures;
        int inFlight;
        long notBeforeNanos;
        long refusedUnchecked;
    }

    private final int freeFailures;
    private final long baseDelayNanos;
    private final long maxDelayNanos;
    private final LongSupplier nanoTime;
    private final LinkedHashMap<String, Source> sources;

    LoginThrottle(int freeFailures, long baseDelayMillis, long maxDelayMillis, int maxSources, LongSupplier nanoTime) {
        this.freeFailures = freeFailures;
        this.baseDelayNanos = TimeUnit.MILLISECONDS.toNanos(baseDelayMillis);
        this.maxDelayNanos = TimeUnit.MILLISECONDS.toNanos(maxDelayMillis);
        this.nanoTime = nanoTime;
        this.sources = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Source> eldest) {
                return size() > maxSources;
            }
        };
    }

    /** 5 free failures, then 1 s, 2 s, 4 s … 60 s; 10,000 sources. */
    static LoginThrottle defaults() {
        return new LoginThrottle(5, 1_000, 60_000, 10_000, System::nanoTime);
    }

    /**
     * May {@code source} have its password checked now? When allowed, the caller must report the outcome
     * with {@link #succeeded}, {@link #failed} or {@link #abandoned}.
     */
    synchronized Decision tryAcquire(String source) {
        long now = nanoTime.getAsLong();
        Source s = sources.get(source);
        if (s == null) {
            s = new Source();
            sources.put(source, s);
        }
        long wait = s.notBeforeNanos - now;
        if (wait > 0) {
            s.refusedUnchecked++;
            return new Decision(false, TimeUnit.NANOSECONDS.toMillis(wait) + 1);
        }
        if (s.failures >= freeFailures && s.inFlight > 0) {
            s.refusedUnchecked++;
            return new Decision(false, TimeUnit.NANOSECONDS.toMillis(delay(s.failures)));
        }
        s.inFlight++;
        return new Decision(true, 0);
    }

    synchronized void succeeded(String source) {
        sources.remove(source);
    }

    /** The password was wrong; returns the new state of the source (for the log line). */
    synchronized Failure failed(String source) {
        Source s = sources.computeIfAbsent(source, k -> new Source());
        s.inFlight = Math.max(0, s.inFlight - 1);
        s.failures++;
        long wait = 0;
        if (s.failures >= freeFailures) {
            wait = delay(s.failures);
            s.notBeforeNanos = nanoTime.getAsLong() + wait;
        }
        long refused = s.refusedUnchecked;
        s.refusedUnchecked = 0;
        return new Failure(s.failures, TimeUnit.NANOSECONDS.toMillis(wait), refused);
    }

    /** The attempt ended without a verdict on the password (node busy, not ready). */
    synchronized void abandoned(String source) {
        Source s = sources.get(source);
        if (s != null) {
            s.inFlight = Math.max(0, s.inFlight - 1);
        }
    }

    synchronized int trackedSources() {
        return sources.size();
    }

    private long delay(int failures) {
        int steps = Math.min(failures - freeFailures, 30);
        return Math.min(maxDelayNanos, baseDelayNanos << steps);
    }
}
