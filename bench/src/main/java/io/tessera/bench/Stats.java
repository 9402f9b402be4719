package io.tessera.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counters and latency of the transactions started in one phase (warm-up or measurement). Written
 * by event-loop threads concurrently; read once at the end. Latency is in microseconds and only
 * recorded for transactions that ended as intended (committed, rolled back, or conflict resolved).
 */
final class Stats {
    private final Recorder latency = new Recorder(3);
    final LongAdder started = new LongAdder();
    final LongAdder committed = new LongAdder();
    final LongAdder rolledBack = new LongAdder();
    final LongAdder conflicts = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

    void started() {
        started.increment();
    }

    void completed(Workloads.Outcome outcome, Throwable failure, long latencyNanos) {
        if (failure != null) {
            error(codeOf(failure));
            return;
        }
        switch (outcome) {
            case COMMITTED -> committed.increment();
            case ROLLED_BACK -> rolledBack.increment();
            case CONFLICT -> conflicts.increment();
        }
        latency.recordValue(Math.max(1, latencyNanos / 1_000));
    }

    void error(String code) {
        errors.computeIfAbsent(code, k -> new LongAdder()).increment();
    }

    long finished() {
        return committed.sum() + rolledBack.sum() + conflicts.sum() + errorCount();
    }

    long errorCount() {
        return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    Map<String, Long> errors() {
        Map<String, Long> out = new TreeMap<>();
        errors.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    Histogram histogram() {
        return latency.getIntervalHistogram();
    }

    static String codeOf(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof TxFailure f ? f.code() : "client:" + t.getClass().getSimpleName();
    }
}
