package io.tessera.raft.group.bench;

import io.tessera.raft.group.ApplyTarget;
import io.tessera.raft.group.CommandStamper;
import io.tessera.raft.group.KvTarget;
import io.tessera.raft.group.RaftGroup;
import io.tessera.raft.group.RaftGroupOptions;
import io.tessera.raft.group.TestStamper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Applied commands per second through a 3-member in-process group (log fsync on), with a fixed number of
 * commands in flight, all proposed on the leader. Not a test: run it by hand (docs/benchmarks.md).
 *
 * <p>System properties: bench.scenarios (raw,noop,rocks,tx; also tcc2, tcc2b), bench.warmupSec (25), bench.measureSec (15),
 * bench.inflight (256).
 */
public final class ReplicationBenchmark {

    /** One benchmark subject: the state behind the group and the next command of one in-flight chain. */
    interface Scenario {
        String name();

        ApplyTarget target(Path dir);

        CommandStamper stamper();

        /** A chain issues one command at a time; the next one may depend on the previous result. */
        Supplier<Chain> chains(RaftGroup leader);
    }

    interface Chain {
        CompletableFuture<byte[]> next();
    }

    record Result(String name, double opsPerSec, double p50Ms, double p99Ms, long failures) {
    }

    public static void main(String[] args) throws Exception {
        List<String> names = Arrays.asList(System.getProperty("bench.scenarios", "raw,noop,rocks,tx").split(","));
        int warmup = Integer.getInteger("bench.warmupSec", 25);
        int measure = Integer.getInteger("bench.measureSec", 15);
        int inflight = Integer.getInteger("bench.inflight", 256);
        List<Result> results = new ArrayList<>();
        for (String n : names) {
            if (n.trim().equals("raw")) {
                Result r = RawJraft.run(warmup, measure, inflight);
                print(r);
                results.add(r);
                continue;
            }
            Scenario s = switch (n.trim()) {
                case "noop" -> simple("noop", NoopTarget::new);
                case "rocks" -> simple("rocks", KvTarget::new);
                case "tx" -> TxScenario.create();
                case "tcc2" -> TccScenario.create(false);
                case "tcc2b" -> TccScenario.create(true);
                default -> throw new IllegalArgumentException("unknown scenario " + n);
            };
            Result r = run(s, warmup, measure, inflight);
            print(r);
            results.add(r);
        }
        double ceiling = results.stream().filter(r -> r.name().equals("raw")).mapToDouble(Result::opsPerSec)
                .findFirst().orElse(Double.NaN);
        System.out.printf("%nmachine: %d cpus, %s %s, java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
        System.out.printf("warm-up %d s, measured %d s, %d in flight, sync=true, 3 members in one JVM%n",
                warmup, measure, inflight);
        System.out.println("| scenario | applied cmd/s | p50 ms | p99 ms | vs raw jraft no-op |");
        System.out.println("|---|---|---|---|---|");
        for (Result r : results) {
            System.out.printf("| %s | %,.0f | %.2f | %.2f | %.0f %% |%n", r.name(), r.opsPerSec(), r.p50Ms(),
                    r.p99Ms(), 100 * r.opsPerSec() / ceiling);
        }
        System.exit(0);
    }

    private static void print(Result r) {
        System.out.printf("RESULT %-6s %,10.0f cmd/s  p50 %.2f ms  p99 %.2f ms  failures %d%s%n",
                r.name(), r.opsPerSec(), r.p50Ms(), r.p99Ms(), r.failures(),
                r.failures() > 0 ? "  (failures: leadership moved or queue full; treat the figure as suspect)" : "");
    }

    static Scenario simple(String name, Function<Path, ApplyTarget> target) {
        return new Scenario() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public ApplyTarget target(Path dir) {
                return target.apply(dir);
            }

            @Override
            public CommandStamper stamper() {
                return new TestStamper();
            }

            @Override
            public Supplier<Chain> chains(RaftGroup leader) {
                AtomicInteger k = new AtomicInteger();
                return () -> {
                    byte[] draft = TestStamper.draft("add k" + (k.getAndIncrement() % 64) + " 1");
                    return () -> leader.propose(draft);
                };
            }
        };
    }

    static Result run(Scenario s, int warmupSec, int measureSec, int inflight) throws Exception {
        Path root = Files.createTempDirectory("tessera-bench-" + s.name());
        List<String> peers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            peers.add("127.0.0.1:" + freePort());
        }
        List<RaftGroup> groups = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                RaftGroupOptions o = RaftGroupOptions.builder().groupId("bench").dataDir(root.resolve("n" + i))
                        .selfEndpoint(peers.get(i)).peers(peers).sync(true).snapshotIntervalSecs(0)
                        .requestTimeoutMs(10_000).build();
                RaftGroup g = new RaftGroup(o, s.target(o.stateDir()), s.stamper());
                g.start();
                groups.add(g);
            }
            RaftGroup leader = waitLeader(groups);
            return measure(s.name(), s.chains(leader), warmupSec, measureSec, inflight);
        } finally {
            for (RaftGroup g : groups) {
                g.close();
            }
            deleteTree(root);
        }
    }

    static Result measure(String name, Supplier<Chain> chains, int warmupSec, int measureSec, int inflight)
            throws InterruptedException {
        Load load = new Load(chains, inflight);
        load.start();
        TimeUnit.SECONDS.sleep(warmupSec); // benchmark pacing, not test synchronisation
        long c0 = load.completed.get();
        long t0 = System.nanoTime();
        load.recording = true;
        TimeUnit.SECONDS.sleep(measureSec);
        long c1 = load.completed.get();
        long t1 = System.nanoTime();
        load.recording = false;
        load.stop();
        double ops = (c1 - c0) / ((t1 - t0) / 1e9);
        long[] lat = load.latencies();
        return new Result(name, ops, pct(lat, 0.50), pct(lat, 0.99), load.failures.get());
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> w = Files.walk(root)) {
            w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static double pct(long[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, q * sorted.length)] / 1e6;
    }

    private static RaftGroup waitLeader(List<RaftGroup> groups) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            for (RaftGroup g : groups) {
                if (g.isLeader()) {
                    return g;
                }
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new IllegalStateException("no leader");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** {@code inflight} independent chains, each re-issuing from its previous command's completion. */
    private static final class Load {
        final AtomicLong completed = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        private final Supplier<Chain> chains;
        private final int inflight;
        private final long[] samples = new long[8_000_000];
        private final AtomicInteger sampleCount = new AtomicInteger();
        private final AtomicInteger running = new AtomicInteger();
        private final java.util.concurrent.ScheduledExecutorService backoff =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "bench-backoff");
                    t.setDaemon(true);
                    return t;
                });
        volatile boolean recording;
        private volatile boolean stopping;

        Load(Supplier<Chain> chains, int inflight) {
            this.chains = chains;
            this.inflight = inflight;
        }

        void start() {
            for (int i = 0; i < inflight; i++) {
                running.incrementAndGet();
                issue(chains.get());
            }
        }

        private void issue(Chain chain) {
            if (stopping) {
                running.decrementAndGet();
                return;
            }
            long t0 = System.nanoTime();
            chain.next().whenComplete((r, e) -> {
                if (e != null) {
                    // Back off instead of spinning on a failing leader (e.g. an election under CPU starvation).
                    failures.incrementAndGet();
                    backoff.schedule(() -> issue(chain), 10, TimeUnit.MILLISECONDS);
                    return;
                }
                completed.incrementAndGet();
                if (recording) {
                    int i = sampleCount.getAndIncrement();
                    if (i < samples.length) {
                        samples[i] = System.nanoTime() - t0;
                    }
                }
                issue(chain);
            });
        }

        void stop() throws InterruptedException {
            stopping = true;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (running.get() > 0 && System.nanoTime() < end) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            backoff.shutdownNow();
        }

        long[] latencies() {
            long[] l = Arrays.copyOf(samples, Math.min(samples.length, sampleCount.get()));
            Arrays.sort(l);
            return l;
        }
    }
}
