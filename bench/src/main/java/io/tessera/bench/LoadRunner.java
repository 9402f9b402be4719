package io.tessera.bench;

import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Drives one workload for warm-up + measurement, closed loop (a fixed number of transactions in
 * flight, each slot starting the next one when its transaction ends) or open loop (a pacer starts
 * transactions at a fixed rate whatever the answers, and latency is measured from each one's
 * intended start, so a stall is charged to every transaction that should have started during it:
 * coordinated omission corrected). Stops by itself: no new transaction after the window or after
 * {@link BenchConfig#maxTxPerRun()}; in-flight ones get a bounded drain.
 */
final class LoadRunner {
    private final ClientPool pool;
    private final BenchConfig config;
    private final Workloads workloads;
    private final HealthProbe probe;
    private final ScheduledExecutorService relaunch;

    private volatile Stats current;
    private volatile boolean running;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger launchedTotal = new AtomicInteger();

    LoadRunner(ClientPool pool, BenchConfig config, HealthProbe probe, ScheduledExecutorService relaunch) {
        this.pool = pool;
        this.config = config;
        this.workloads = new Workloads(config);
        this.probe = probe;
        this.relaunch = relaunch;
    }

    /** @param rate transactions per second for open loop, or 0 for closed loop with {@code concurrency} */
    RunResult run(Workloads.Kind kind, int concurrency, double rate, double warmupSec, double measureSec) {
        Workloads.Workload workload = workloads.of(kind);
        Stats warm = new Stats();
        Stats measured = new Stats();
        current = warm;
        running = true;
        launchedTotal.set(0);
        Thread pacer = null;
        if (rate > 0) {
            pacer = new Thread(() -> pace(workload, rate), "bench-pacer");
            pacer.setDaemon(true);
            pacer.start();
        } else {
            for (int i = 0; i < concurrency; i++) {
                launch(workload);
            }
        }
        sleepSeconds(warmupSec);
        OptionalLong index0 = probe == null ? OptionalLong.empty() : probe.leaderAppliedIndex();
        long p2c0 = pool.phaseTwoCommits.sum();
        long p2r0 = pool.phaseTwoRollbacks.sum();
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        current = measured;
        sleepSeconds(measureSec);
        current = null;
        double seconds = (System.nanoTime() - t0) / 1e9;
        double clientCpuCores = (processCpuNanos() - cpu0) / 1e9 / seconds;
        OptionalLong index1 = probe == null ? OptionalLong.empty() : probe.leaderAppliedIndex();
        long p2c = pool.phaseTwoCommits.sum() - p2c0;
        long p2r = pool.phaseTwoRollbacks.sum() - p2r0;
        running = false;
        if (pacer != null) {
            joinQuietly(pacer);
        }
        drain();
        Histogram h = measured.histogram();
        long started = measured.started.sum();
        long ok = measured.committed.sum() + measured.rolledBack.sum() + measured.conflicts.sum();
        long entries = index0.isPresent() && index1.isPresent() ? index1.getAsLong() - index0.getAsLong() : -1;
        long finished = measured.finished();
        return new RunResult(kind.name().toLowerCase(java.util.Locale.ROOT), rate > 0 ? "open" : "closed",
                rate > 0 ? 0 : concurrency, rate, seconds, started, measured.committed.sum(), measured.rolledBack.sum(),
                measured.conflicts.sum(), measured.errorCount(), started - finished, measured.errors(), ok / seconds,
                ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
                ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()), h.getTotalCount(), p2c, p2r, entries,
                entries < 0 || finished == 0 ? -1 : (double) entries / finished, clientCpuCores);
    }

    /** CPU time of this (generator) process, to show how much of the machine the client itself took. */
    static long processCpuNanos() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    private void launch(Workloads.Workload workload) {
        if (!running || launchedTotal.incrementAndGet() > config.maxTxPerRun()) {
            return;
        }
        start(workload, current, System.nanoTime(), true);
    }

    private void start(Workloads.Workload workload, Stats s, long startNanos, boolean closedLoop) {
        Stats sink = s == null ? new Stats() : s;
        sink.started();
        inFlight.incrementAndGet();
        workload.run(pool.route()).whenComplete((outcome, failure) -> {
            sink.completed(outcome, failure, System.nanoTime() - startNanos);
            inFlight.decrementAndGet();
            if (closedLoop && running) {
                // Through an executor: a chain that fails synchronously must not recurse on this stack.
                // After a connection failure, pause the slot: a dead socket must not turn into a hot loop.
                if (failure != null && Stats.codeOf(failure).startsWith("io:")) {
                    relaunch.schedule(() -> launch(workload), 100, TimeUnit.MILLISECONDS);
                } else {
                    relaunch.execute(() -> launch(workload));
                }
            }
        });
    }

    private void pace(Workloads.Workload workload, double rate) {
        long intervalNanos = (long) (1e9 / rate);
        long origin = System.nanoTime();
        long n = 0;
        while (running) {
            long now = System.nanoTime();
            while (running && origin + n * intervalNanos <= now) {
                long intended = origin + n * intervalNanos;
                n++;
                Stats s = current;
                if (launchedTotal.incrementAndGet() > config.maxTxPerRun()) {
                    return;
                }
                if (inFlight.get() >= config.maxInFlight()) {
                    // The TC is not keeping up: count the missed start instead of queueing without bound.
                    if (s != null) {
                        s.started();
                        s.error("client:maxInFlight");
                    }
                    continue;
                }
                start(workload, s, intended, false);
            }
            LockSupport.parkNanos(Math.min(intervalNanos, 1_000_000L));
        }
    }

    private void drain() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(4 * config.requestTimeoutMs() + 1_000);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(10_000_000L);
        }
    }

    private static double ms(long micros) {
        return micros / 1_000.0;
    }

    private static void sleepSeconds(double s) {
        long end = System.nanoTime() + (long) (s * 1e9);
        long left;
        while ((left = end - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
