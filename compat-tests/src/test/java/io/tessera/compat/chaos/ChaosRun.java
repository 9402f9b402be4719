package io.tessera.compat.chaos;

import static org.awaitility.Awaitility.await;

import io.tessera.compat.chaos.FaultInjector.Applied;
import io.tessera.compat.failover.ProcessCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * One chaos run: three node processes apart (own address, own user), the real client under load, the
 * seeded fault plan applied step by step until the duration is used up, then the checker. Its figures
 * and violations are printed as lines starting with {@code CHAOS}.
 */
final class ChaosRun {
    /** What a run is asked to do: -Dchaos.duration (seconds of faults), -Dchaos.seed, -Dchaos.faults. */
    record Config(long durationSeconds, long seed, List<FaultKind> kinds, int threads, int txTimeoutMs) {
        static Config fromSystemProperties(long defaultDuration, long defaultSeed) {
            String faults = System.getProperty("chaos.faults", "").trim();
            List<FaultKind> kinds = faults.isEmpty() || faults.equals("all") ? List.of(FaultKind.values())
                    : Arrays.stream(faults.split(",")).map(String::trim).map(s -> s.toUpperCase().replace('-', '_'))
                            .map(FaultKind::valueOf).toList();
            return new Config(Long.getLong("chaos.duration", defaultDuration), Long.getLong("chaos.seed", defaultSeed),
                    kinds, Integer.getInteger("chaos.threads", 6), Integer.getInteger("chaos.tx-timeout-ms", 20_000));
        }
    }

    /** Once faults stop, every begun transaction must be final within its timeout plus this. */
    static final Duration FINAL_BOUND = Duration.ofSeconds(30);
    private static final long ELECTION_TIMEOUT_MS = 1000;

    final Config config;
    final Netfilter netfilter;
    final List<FaultKind> kinds;
    final FaultPlan plan;
    final List<Applied> applied = new ArrayList<>();
    final List<ChaosChecker.Violation> violations = new ArrayList<>();
    String checkerReport = "";
    int transactions;

    ChaosRun(Config config) {
        this.config = config;
        this.netfilter = Netfilter.probe();
        this.kinds = netfilter.unavailable().isPresent()
                ? config.kinds().stream().filter(k -> !k.needsNetfilter()).toList() : config.kinds();
        // enough steps for the duration even if faults were quick (about 3 s each at least)
        int steps = (int) Math.max(kinds.size() * 2L, config.durationSeconds() / 3 + kinds.size());
        this.plan = FaultPlan.generate(config.seed(), kinds, steps, ELECTION_TIMEOUT_MS);
    }

    void run(Path dir) throws Exception {
        System.out.println("CHAOS seed=" + config.seed() + " duration=" + config.durationSeconds() + "s kinds=" + kinds
                + " threads=" + config.threads() + " txTimeout=" + config.txTimeoutMs() + "ms netfilter="
                + netfilter.unavailable().map(r -> "unavailable: " + r).orElse(netfilter.backend()));
        System.out.print(plan.describe());
        netfilter.clear();
        // started inside the try: a start that fails half-way still gets close(), which stops what did start
        try (ProcessCluster cluster = new ProcessCluster(dir, 3, "chaos-logs", true);
                ChaosClient client = ChaosClient.start(cluster.start());
                ChaosWorkload load = new ChaosWorkload(config.threads(), config.txTimeoutMs(), config.seed());
                FaultInjector faults = new FaultInjector(cluster, netfilter)) {
            load.start();
            awaitCommits(load, 30, Duration.ofSeconds(90));
            long faultsStart = System.nanoTime();
            long until = faultsStart + TimeUnit.SECONDS.toNanos(config.durationSeconds());
            for (FaultPlan.Step step : plan.steps()) {
                // at least one round: every kind once, however long the faults took
                if (System.nanoTime() >= until && step.index() >= kinds.size()) {
                    break;
                }
                try {
                    Applied a = faults.inject(step);
                    applied.add(a);
                    System.out.println("CHAOS fault " + step + " " + a.victims() + " recovered in "
                            + ms(a.recoveredNanos() - a.startNanos()) + " ms, elections " + a.elections());
                } catch (RuntimeException e) {
                    violations.add(new ChaosChecker.Violation("-", "no recovery after " + step + ": " + e));
                    System.out.println("CHAOS fault " + step + " did not recover: " + e);
                    break;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(step.gapMs()));
            }
            faults.close();
            long faultsEnd = System.nanoTime();
            try {
                awaitCommits(load, 10, Duration.ofSeconds(60));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                violations.add(new ChaosChecker.Violation("-", "no new commits in 60 s after the faults stopped"));
            }
            load.stop();
            long loadEnd = System.nanoTime();
            List<TxHistory> txs = load.records();
            transactions = txs.size();
            ChaosChecker checker = new ChaosChecker(txs, client);
            checker.awaitFinal(faultsEnd + TimeUnit.MILLISECONDS.toNanos(config.txTimeoutMs()) + FINAL_BOUND.toNanos());
            checker.awaitPhaseTwo(Duration.ofSeconds(30));
            checker.checkOutcomes();
            checker.checkLocks();
            try {
                cluster.awaitReplicasConverged();
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                checker.violations.add(new ChaosChecker.Violation("-", "replicas did not converge to one state digest: "
                        + cluster.members().stream().map(m -> cluster.digest(m.id()).toString()).toList()));
            }
            violations.addAll(checker.violations);
            checkerReport = checker.report();
            report(txs, checker, faultsStart, faultsEnd, loadEnd);
        } finally {
            netfilter.clear();
        }
    }

    private static void awaitCommits(ChaosWorkload load, int more, Duration atMost) {
        long target = load.committedCount() + more;
        await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> load.committedCount() >= target);
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /** A failure's stage and what the client reported, without the varying parts (ids, addresses). */
    static String failureClass(String error) {
        String e = error.replaceAll("[0-9a-f.:]*:[0-9]+(:[0-9]+)?", "#").replaceAll("[0-9]+", "#");
        return e.length() > 110 ? e.substring(0, 110) : e;
    }

    long injected(FaultKind k) {
        return applied.stream().filter(a -> a.kind() == k).count();
    }

    private void report(List<TxHistory> txs, ChaosChecker checker, long faultsStart, long faultsEnd, long loadEnd) {
        Set<String> bad = checker.violations.stream().map(ChaosChecker.Violation::xid).collect(Collectors.toSet());
        System.out.printf("CHAOS run: %d faults in %d s, %d transactions (%d committed as the client saw, %d rolled back"
                        + " as intended, %d failed), %d violations%n", applied.size(), ms(faultsEnd - faultsStart) / 1000,
                txs.size(), txs.stream().filter(TxHistory::sawCommitted).count(),
                txs.stream().filter(TxHistory::sawRolledBack).count(), txs.stream().filter(TxHistory::failed).count(),
                violations.size());
        System.out.printf("CHAOS checked: %d transactions final (%s), %d phase-two calls, %d AT lock grants, replicas' digests%n",
                checker.finals.size(), checker.finals.values().stream().collect(Collectors.groupingBy(s -> s,
                        Collectors.counting())), txs.stream().filter(t -> t.xid != null)
                        .mapToLong(t -> checker.phaseTwoCount(t.xid)).sum(), checker.lockGrantsJudged);
        Map<FaultKind, Map<String, Long>> failures = new EnumMap<>(FaultKind.class);
        Map<FaultKind, List<long[]>> perKind = new EnumMap<>(FaultKind.class);
        for (int i = 0; i < applied.size(); i++) {
            Applied a = applied.get(i);
            long windowEnd = i + 1 < applied.size() ? applied.get(i + 1).startNanos() : loadEnd;
            List<TxHistory> in = txs.stream().filter(t -> t.beginSentNanos >= a.startNanos() && t.beginSentNanos < windowEnd)
                    .toList();
            OptionalLong firstCommit = in.stream().filter(TxHistory::sawCommitted)
                    .mapToLong(t -> t.endNanos - a.startNanos()).min();
            in.stream().filter(TxHistory::failed).forEach(t -> failures.computeIfAbsent(a.kind(), k -> new java.util.TreeMap<>())
                    .merge(failureClass(t.error), 1L, Long::sum));
            perKind.computeIfAbsent(a.kind(), k -> new ArrayList<>()).add(new long[] {in.size(),
                    in.stream().filter(TxHistory::failed).count(), in.stream().filter(t -> bad.contains(t.xid)).count(),
                    firstCommit.isPresent() ? ms(firstCommit.getAsLong()) : -1, a.elections(),
                    ms(a.recoveredNanos() - a.startNanos())});
        }
        System.out.println("CHAOS kind            faults  tx      failed  violations  first-commit-ms(median/max)  elections  recovery-ms(median)");
        for (FaultKind k : kinds) {
            List<long[]> rows = perKind.getOrDefault(k, List.of());
            List<Long> first = rows.stream().map(r -> r[3]).filter(v -> v >= 0).sorted().toList();
            List<Long> rec = rows.stream().map(r -> r[5]).sorted().toList();
            System.out.printf("CHAOS %-15s %6d  %6d  %6d  %10d  %27s  %9d  %19s%n", k, rows.size(),
                    rows.stream().mapToLong(r -> r[0]).sum(), rows.stream().mapToLong(r -> r[1]).sum(),
                    rows.stream().mapToLong(r -> r[2]).sum(),
                    first.isEmpty() ? "-" : first.get(first.size() / 2) + "/" + first.get(first.size() - 1),
                    rows.stream().mapToLong(r -> r[4]).sum(), rec.isEmpty() ? "-" : String.valueOf(rec.get(rec.size() / 2)));
        }
        failures.forEach((k, m) -> System.out.println("CHAOS failed " + k + ": " + m));
        if (!violations.isEmpty()) {
            System.out.println("CHAOS replay with: scripts/chaos.sh --seed " + config.seed() + " --duration "
                    + config.durationSeconds() + " --faults " + kinds.stream().map(Enum::name).collect(Collectors.joining(",")));
            violations.stream().filter(v -> v.xid().equals("-")).forEach(v -> System.out.println("CHAOS VIOLATION " + v.what()));
            System.out.print(checkerReport);
        }
    }
}
