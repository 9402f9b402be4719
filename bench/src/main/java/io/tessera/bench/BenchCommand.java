package io.tessera.bench;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The protocol-level load generator: every workload × concurrency (or × rate) combination in turn,
 * over one set of registered connections, then a table on stdout and optionally JSON.
 */
@Command(name = "tessera-bench", mixinStandardHelpOptions = true,
        description = "Seata-protocol load generator (our codec, asynchronous, RMs answer phase two).")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--targets", defaultValue = "127.0.0.1:8091,127.0.0.1:8092,127.0.0.1:8093",
            description = "TC transaction addresses (loopback only); each transaction goes to one, round robin")
    String targets;

    @Option(names = "--control", description = "control (HTTP) addresses, to count Raft entries via /health")
    String control;

    @Option(names = "--workloads", split = ",", defaultValue = "tcc2",
            description = "empty, tcc2, at, mix (comma list)")
    List<String> workloads;

    @Option(names = "--concurrency", split = ",", defaultValue = "16", description = "closed-loop transactions in flight")
    List<Integer> concurrency;

    @Option(names = "--rate", split = ",", description = "open loop: target tx/s (replaces --concurrency)")
    List<Double> rates;

    @Option(names = "--warmup", defaultValue = "25", description = "seconds of warm-up before the first run")
    double warmup;

    @Option(names = "--warmup-each", defaultValue = "3", description = "seconds of warm-up before every later run")
    double warmupEach;

    @Option(names = "--duration", defaultValue = "20", description = "measured seconds per run")
    double duration;

    @Option(names = "--connections", defaultValue = "1", description = "TM (and RM) connections per target")
    int connections;

    @Option(names = "--io-threads", defaultValue = "2")
    int ioThreads;

    @Option(names = "--timeout-ms", defaultValue = "10000", description = "per-request timeout")
    long timeoutMs;

    @Option(names = "--key-space", defaultValue = "10000", description = "AT lock keys drawn from [0, n)")
    int keySpace;

    @Option(names = "--locks-per-tx", defaultValue = "2")
    int locksPerTx;

    @Option(names = "--rollback-percent", defaultValue = "20", description = "mix: share of TCC rollbacks")
    int rollbackPercent;

    @Option(names = "--at-percent", defaultValue = "20", description = "mix: share of AT transactions")
    int atPercent;

    @Option(names = "--max-in-flight", defaultValue = "10000", description = "open loop: cap of transactions in flight")
    int maxInFlight;

    @Option(names = "--max-tx", defaultValue = "10000000", description = "no run starts more transactions")
    long maxTx;

    @Option(names = "--also", split = ",",
            description = "extra runs after the grid: WORKLOAD@N (closed loop, N in flight) or WORKLOAD@R/s (open loop)")
    List<String> also;

    @Option(names = "--json", description = "write the results as JSON to this file")
    Path json;

    @Override
    public Integer call() throws Exception {
        List<InetSocketAddress> addrs = BenchConfig.parseTargets(targets);
        BenchConfig config = new BenchConfig(addrs, "bench-app", "bench-tx-group", connections, ioThreads, timeoutMs,
                60_000, keySpace, locksPerTx, rollbackPercent, atPercent, maxInFlight, maxTx);
        HealthProbe probe = control == null ? null : new HealthProbe(BenchConfig.parseTargets(control));
        List<RunResult> results = run(config, probe, plan(), warmup, warmupEach, duration, System.out);
        System.out.println();
        System.out.print(Report.table(results));
        if (json != null) {
            Report.writeJson(json, results, Report.environment());
            System.out.println("JSON: " + json);
        }
        return results.stream().allMatch(r -> r.histogramCount() > 0) ? 0 : 2;
    }

    /** (workload, concurrency, rate) triples in execution order. */
    List<Object[]> plan() {
        List<Object[]> plan = new ArrayList<>();
        for (String w : workloads) {
            Workloads.Kind kind = Workloads.Kind.parse(w);
            if (rates != null && !rates.isEmpty()) {
                rates.forEach(r -> plan.add(new Object[] {kind, 0, r}));
            } else {
                concurrency.forEach(c -> plan.add(new Object[] {kind, c, 0.0}));
            }
        }
        if (also != null) {
            for (String a : also) {
                String[] parts = a.trim().split("@");
                if (parts.length != 2) {
                    throw new CommandLine.ParameterException(new CommandLine(this), "bad --also entry " + a);
                }
                Workloads.Kind kind = Workloads.Kind.parse(parts[0]);
                if (parts[1].endsWith("/s")) {
                    plan.add(new Object[] {kind, 0, Double.parseDouble(parts[1].substring(0, parts[1].length() - 2))});
                } else {
                    plan.add(new Object[] {kind, Integer.parseInt(parts[1]), 0.0});
                }
            }
        }
        return plan;
    }

    static List<RunResult> run(BenchConfig config, HealthProbe probe, List<Object[]> plan, double warmup,
            double warmupEach, double duration, java.io.PrintStream log) {
        List<RunResult> results = new ArrayList<>();
        try (ClientPool pool = new ClientPool(config).start()) {
            LoadRunner runner = new LoadRunner(pool, config, probe, pool.executor());
            boolean first = true;
            for (Object[] p : plan) {
                Workloads.Kind kind = (Workloads.Kind) p[0];
                int conc = (Integer) p[1];
                double rate = (Double) p[2];
                log.printf("run %s %s: warm-up %.0f s, measure %.0f s%n", kind, rate > 0 ? rate + " tx/s" : conc + " in flight",
                        first ? warmup : warmupEach, duration);
                RunResult r = runner.run(kind, conc, rate, first ? warmup : warmupEach, duration);
                log.printf("  %,.0f tx/s p50 %.2f p99 %.2f ms, errors %d %s%n", r.txPerSec(), r.p50Ms(), r.p99Ms(),
                        r.errors(), r.errorsByCode().isEmpty() ? "" : r.errorsByCode());
                results.add(r);
                first = false;
            }
        }
        return results;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }
}
