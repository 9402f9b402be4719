package io.tessera.bench;

import java.util.Map;

/**
 * One measured run. Latency in milliseconds. {@code raftEntriesPerTx} is the leader's
 * lastAppliedIndex delta over the measured window divided by the transactions finished in it, or
 * -1 when no control address was given. {@code clientCpuCores}: CPU the generator process itself used
 * during the window, in cores (the client must not be what limits the figures).
 */
record RunResult(String workload, String mode, int concurrency, double targetRate, double seconds, long started,
        long committed, long rolledBack, long conflicts, long errors, long unfinished, Map<String, Long> errorsByCode,
        double txPerSec, double p50Ms, double p90Ms, double p99Ms, double p999Ms, double maxMs, long histogramCount,
        long phaseTwoCommits, long phaseTwoRollbacks, long raftEntries, double raftEntriesPerTx,
        double clientCpuCores) {
}
