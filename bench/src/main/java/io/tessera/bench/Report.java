package io.tessera.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders results as a Markdown table and as JSON (the machine-readable record of a run). */
final class Report {
    private Report() {
    }

    static String table(List<RunResult> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("| workload | loop | conc/rate | tx/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | started | "
                + "ok | conflicts | errors | unfinished | raft entries/tx | client cpu |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (RunResult r : results) {
            sb.append(String.format(java.util.Locale.ROOT,
                    "| %s | %s | %s | %,.0f | %.2f | %.2f | %.2f | %.2f | %.2f | %d | %d | %d | %d | %d | %s | %.2f |%n",
                    r.workload(), r.mode(), r.mode().equals("open") ? String.format("%.0f/s", r.targetRate())
                            : Integer.toString(r.concurrency()),
                    r.txPerSec(), r.p50Ms(), r.p90Ms(), r.p99Ms(), r.p999Ms(), r.maxMs(), r.started(),
                    r.committed() + r.rolledBack(), r.conflicts(), r.errors(), r.unfinished(),
                    r.raftEntriesPerTx() < 0 ? "-" : String.format(java.util.Locale.ROOT, "%.2f", r.raftEntriesPerTx()),
                    r.clientCpuCores()));
        }
        for (RunResult r : results) {
            if (!r.errorsByCode().isEmpty()) {
                sb.append("errors ").append(r.workload()).append('/').append(r.mode()).append(' ')
                        .append(r.mode().equals("open") ? r.targetRate() : r.concurrency()).append(": ")
                        .append(r.errorsByCode()).append('\n');
            }
        }
        return sb.toString();
    }

    static String json(List<RunResult> results, Map<String, Object> environment) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("environment", environment);
        root.put("runs", results);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void writeJson(Path file, List<RunResult> results, Map<String, Object> environment) throws IOException {
        Files.writeString(file, json(results, environment));
    }

    static Map<String, Object> environment() {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("cpus", Runtime.getRuntime().availableProcessors());
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        env.put("java", System.getProperty("java.version"));
        env.put("loadAverage", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        env.put("time", java.time.Instant.now().toString());
        return env;
    }
}
