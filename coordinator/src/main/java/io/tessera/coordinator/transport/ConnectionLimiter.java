package io.tessera.coordinator.transport;

import io.tessera.coordinator.config.NodeConfigLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts open transaction-port connections, per node and per remote address, and refuses one that
 * would pass a cap. Admission and release pair up through the channel's close future (see
 * {@link TransactionServer}), which completes exactly once for every accepted channel, so a count
 * cannot leak whatever happens to the connection. Thread-safe: accepts run on the boss thread,
 * releases on the connections' event loops.
 */
final class ConnectionLimiter {
    private final int maxConnections;
    private final int maxPerSource;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> perSource = new ConcurrentHashMap<>();

    ConnectionLimiter(int maxConnections, int maxPerSource) {
        this.maxConnections = maxConnections;
        this.maxPerSource = maxPerSource;
    }

    /** @return null when admitted (call {@link #release} when it closes), else why not */
    String tryAdmit(String source) {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            return "node already has " + maxConnections + " connections (" + NodeConfigLoader.MAX_CONNECTIONS + "="
                    + maxConnections + ")";
        }
        boolean[] admitted = {false};
        // compute() runs atomically per key, so the count and the entry's removal at zero never race.
        perSource.compute(source, (ip, count) -> {
            AtomicInteger c = count != null ? count : new AtomicInteger();
            if (c.get() < maxPerSource) {
                c.incrementAndGet();
                admitted[0] = true;
            }
            return c.get() == 0 ? null : c;
        });
        if (!admitted[0]) {
            open.decrementAndGet();
            return "source already has " + maxPerSource + " connections (" + NodeConfigLoader.MAX_CONNECTIONS_PER_SOURCE
                    + "=" + maxPerSource + ")";
        }
        return null;
    }

    void release(String source) {
        perSource.computeIfPresent(source, (ip, c) -> c.decrementAndGet() == 0 ? null : c);
        open.decrementAndGet();
    }

    int open() {
        return open.get();
    }

    int open(String source) {
        AtomicInteger c = perSource.get(source);
        return c == null ? 0 : c.get();
    }
}
