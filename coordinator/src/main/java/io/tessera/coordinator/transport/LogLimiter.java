package io.tessera.coordinator.transport;

import io.tessera.codec.text.LogBudget;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Bounds the log lines clients can cause. A line about a connection is written only if the
 * connection's budget, its source address's budget and the node's budget all allow it; the next line
 * that is written reports how many were dropped. So one misbehaving connection costs a few lines, one
 * source with many connections a few more, and a spread flood at most the node's rate. Source budgets
 * live in a bounded LRU map; a source evicted and seen again starts afresh, which the node budget caps.
 */
final class LogLimiter {
    static final int MAX_SOURCES = 1_024;

    private final LongSupplier nanoTime;
    private final LogBudget node;
    private final Map<String, LogBudget> sources = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, LogBudget> eldest) {
            return size() > MAX_SOURCES;
        }
    };

    LogLimiter(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        // 100 lines at once, then 10 per second, for everything clients cause on this node.
        this.node = new LogBudget(100, 100_000_000L, nanoTime);
    }

    LogLimiter() {
        this(System::nanoTime);
    }

    /** For lines about one connection from {@code source}. */
    Gate connection(String source) {
        return new Gate(List.of(new LogBudget(5, 10_000_000_000L, nanoTime), source(source), node));
    }

    /** For lines about a source without a connection of its own (a refused accept). */
    Gate sourceOnly(String source) {
        return new Gate(List.of(source(source), node));
    }

    private synchronized LogBudget source(String ip) {
        // 20 lines at once, then one every 3 s, per remote address.
        return sources.computeIfAbsent(ip, k -> new LogBudget(20, 3_000_000_000L, nanoTime));
    }

    /** The budgets a line must pass; thread-safe. */
    static final class Gate {
        private final List<LogBudget> budgets;

        private Gate(List<LogBudget> budgets) {
            this.budgets = new ArrayList<>(budgets);
        }

        /** True if the line may be written; otherwise it is counted as suppressed by the first budget that refused. */
        boolean tryLog() {
            for (LogBudget b : budgets) {
                if (!b.tryLog()) {
                    return false;
                }
            }
            return true;
        }

        /** After a successful {@link #tryLog()}: {@code " (N similar lines suppressed)"} or "". */
        String suppressedNote() {
            long n = 0;
            for (LogBudget b : budgets) {
                n += b.takeSuppressed();
            }
            return n == 0 ? "" : " (" + n + " similar lines suppressed)";
        }
    }
}
