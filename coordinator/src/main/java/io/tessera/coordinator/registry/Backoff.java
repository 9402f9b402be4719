package io.tessera.coordinator.registry;

/** Retry delays that double from {@code minMs} up to {@code maxMs}, back to the minimum after a success. */
final class Backoff {
    private final long minMs;
    private final long maxMs;
    private long nextMs;

    Backoff(long minMs, long maxMs) {
        this.minMs = minMs;
        this.maxMs = maxMs;
        this.nextMs = minMs;
    }

    long next() {
        long d = nextMs;
        nextMs = Math.min(maxMs, nextMs * 2);
        return d;
    }

    void reset() {
        nextMs = minMs;
    }
}
