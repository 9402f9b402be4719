package io.tessera.raft.group;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * One log line per peer address for failed TLS handshakes on the raft port, however often that peer
 * retries (jraft's replicators and a scanner both retry many times a second): the first failure from an
 * address is logged, later ones are counted and reported with the next line for that address, at most
 * once per {@code quietNanos}. Addresses, not ports: every attempt comes from a new ephemeral port. The
 * table is bounded (least recently seen addresses drop out), so a flood of sources cannot grow it.
 */
final class RefusalLog {
    static final int MAX_ADDRESSES = 1024;
    static final long DEFAULT_QUIET_NANOS = TimeUnit.HOURS.toNanos(1);
    private static final int MAX_REASON = 160;

    private final Logger log;
    private final String what;
    private final long quietNanos;
    private final Map<String, Seen> seen = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Seen> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    /** @param what how a line starts, e.g. "raft port 10.0.0.1:8091 refused a connection from" */
    RefusalLog(Logger log, String what, long quietNanos) {
        this.log = log;
        this.what = what;
        this.quietNanos = quietNanos;
    }

    void failed(SocketAddress remote, Throwable cause) {
        failed(remote, cause, System.nanoTime());
    }

    /** {@code nowNanos}: a System.nanoTime() reading (tests pass their own). */
    void failed(SocketAddress remote, Throwable cause, long nowNanos) {
        String address = remote instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : String.valueOf(remote);
        long unlogged = record(address, nowNanos);
        if (unlogged >= 0) {
            log.warn("{} {}: {}{}; further failures from this address are logged at most hourly", what, address,
                    reason(cause), unlogged == 0 ? "" : " (" + unlogged + " more since the last line)");
        }
    }

    /** Failures not logged since the last line for this address, or -1 if this one is not to be logged. */
    private synchronized long record(String address, long now) {
        Seen s = seen.get(address);
        if (s == null) {
            seen.put(address, new Seen(now));
            return 0;
        }
        if (now - s.loggedAt < quietNanos) {
            s.unlogged++;
            return -1;
        }
        long n = s.unlogged;
        s.loggedAt = now;
        s.unlogged = 0;
        return n;
    }

    /** The innermost message, on one short line (a plain-text peer's bytes arrive hex-dumped in it). */
    static String reason(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + root.getMessage().replaceAll("\\s+", " ");
        return m.length() <= MAX_REASON ? m : m.substring(0, MAX_REASON) + "...";
    }

    private static final class Seen {
        long loggedAt;
        long unlogged;

        Seen(long loggedAt) {
            this.loggedAt = loggedAt;
        }
    }
}
