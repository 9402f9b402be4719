package io.tessera.compat.fuzz;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The fuzzer against a live three-node cluster. Input {@code i} of seed {@code s} is generated from
 * {@code SplittableRandom(s, i)} alone, so any input can be regenerated ({@code --replay s:i}). Inputs are
 * sent in batches; between batches every node must be alive, ready, serve a real commit through the
 * seata-all client, have its file descriptors back near their baseline and its memory within bounds.
 * At the end a full GC must show no retained growth and every replica must hold the same state digest.
 */
final class LiveFuzzer {
    /** What to run. {@code first..last} (inclusive) are the input indexes; a replay is just a short range. */
    record Options(long seed, long first, long last, String target, int batchSize, int workers,
            java.time.Instant until) {
        long inputs() {
            return last - first + 1;
        }
    }

    /** fds a node may hold above its baseline once the batch's connections are closed. */
    static final int FD_SLACK = 100;
    /** fds a node may hold at any sampled moment (its limit is far higher; this catches a leak early). */
    static final int FD_CEILING = 2_000;
    /** How long the applied index must stand still before the digests are compared. */
    private static final Duration QUIET = Duration.ofSeconds(5);
    /** Bound of the end check: fuzzed transactions with the usual 60 s timeout end within it. */
    private static final Duration END_CHECK_BOUND = Duration.ofMinutes(6);
    /** Resident memory bound of a node started with -Xmx384m (heap + RocksDB + metaspace + threads). */
    static final long RSS_LIMIT = 1_536L << 20;
    /** Heap a node may retain (after a full GC) above its retained heap before the run. */
    static final long RETAINED_HEAP_GROWTH = 96L << 20;
    private static final Duration LIVENESS_BOUND = Duration.ofSeconds(60);

    /** The run's figures. */
    record Report(long seed, long inputs, Map<FuzzInput.Target, Long> perTarget, long answered, long closedByNode,
            double seconds, int[] baselineFds, int[] maxFds, long[] maxRss, long[] maxHeap, long[] retainedHeapBefore,
            long[] retainedHeapAfter, long livenessCommits, List<String> failures) {
        double inputsPerSecond() {
            return inputs / Math.max(seconds, 0.001);
        }

        String summary() {
            return String.format("seed %d: %d inputs (%s) in %.0f s = %.0f inputs/s; answered %d, closed by node %d; "
                    + "fds baseline %s max %s; max RSS MiB %s; max heap MiB %s; retained heap MiB before %s after %s; "
                    + "%d liveness commits; failures %s", seed, inputs, perTarget, seconds, inputsPerSecond(), answered,
                    closedByNode, java.util.Arrays.toString(baselineFds), java.util.Arrays.toString(maxFds), mib(maxRss),
                    mib(maxHeap), mib(retainedHeapBefore), mib(retainedHeapAfter), livenessCommits, failures);
        }

        private static String mib(long[] v) {
            return java.util.Arrays.toString(java.util.Arrays.stream(v).map(b -> b >> 20).toArray());
        }
    }

    private final FuzzCluster cluster;
    private final Options options;
    private final LivenessClient liveness;
    private final String adminToken;
    private final InputSource inputs;
    private final Sender sender;

    LiveFuzzer(FuzzCluster cluster, LivenessClient liveness, Options options) {
        this.cluster = cluster;
        this.options = options;
        this.liveness = liveness;
        FuzzCluster.Node first = cluster.nodes().get(0);
        this.adminToken = cluster.login(first, true);
        this.inputs = new InputSource(options.seed(), options.target(),
                new HttpInputs.Tokens(cluster.login(first, false), adminToken));
        this.sender = new Sender(cluster);
    }

    FuzzInput input(long index) {
        return inputs.input(index);
    }

    Report run() throws Exception {
        List<FuzzCluster.Node> nodes = cluster.nodes();
        int n = nodes.size();
        checkLiveness("before the run");
        int[] baselineFds = new int[n];
        long[] retainedBefore = new long[n];
        for (int i = 0; i < n; i++) {
            baselineFds[i] = NodeResources.fds(cluster.pid(nodes.get(i)));
            retainedBefore[i] = NodeResources.heapAfterGc(cluster, nodes.get(i), adminToken);
        }
        System.out.println("FUZZ baseline fds " + java.util.Arrays.toString(baselineFds) + ", retained heap "
                + java.util.Arrays.toString(retainedBefore));
        int[] maxFds = baselineFds.clone();
        long[] maxRss = new long[n];
        long[] maxHeap = new long[n];
        Map<FuzzInput.Target, LongAdder> perTarget = new EnumMap<>(FuzzInput.Target.class);
        for (FuzzInput.Target t : FuzzInput.Target.values()) {
            perTarget.put(t, new LongAdder());
        }
        LongAdder answered = new LongAdder();
        LongAdder closed = new LongAdder();
        Timing timing = new Timing();
        List<String> failures = new ArrayList<>();
        AtomicReference<String> failure = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(options.workers());
        ScheduledExecutorService sampling = Executors.newSingleThreadScheduledExecutor();
        long started = System.nanoTime();
        long lastReport = started;
        long sent = 0;
        long commits = 0;
        try {
            for (long batchStart = options.first(); batchStart <= options.last() && failure.get() == null
                    && java.time.Instant.now().isBefore(options.until()); batchStart += options.batchSize()) {
                long batchEnd = Math.min(options.last(), batchStart + options.batchSize() - 1);
                AtomicLong next = new AtomicLong(batchStart);
                Runnable sample = () -> {
                    for (int i = 0; i < n; i++) {
                        long pid = cluster.pid(nodes.get(i));
                        synchronized (maxFds) {
                            maxFds[i] = Math.max(maxFds[i], NodeResources.fds(pid));
                            maxRss[i] = Math.max(maxRss[i], NodeResources.rssBytes(pid));
                        }
                    }
                };
                // Resource peaks during the batch, sampled every 250 ms (a sampling period, not a wait).
                Future<?> sampler = sampling.scheduleAtFixedRate(sample, 0, 250, TimeUnit.MILLISECONDS);
                List<Future<?>> workers = new ArrayList<>();
                for (int w = 0; w < options.workers(); w++) {
                    workers.add(pool.submit(() -> {
                        long i;
                        while (failure.get() == null && (i = next.getAndIncrement()) <= batchEnd) {
                            FuzzInput in = input(i);
                            long t0 = System.nanoTime();
                            Sender.Result r = sender.send(in);
                            if (options.inputs() <= 20) { // a replay: show what was sent and what came of it
                                System.out.println("FUZZ " + in.describe() + "\n" + Hexdump.of(in.payload(), 1024)
                                        + "  -> " + r);
                            }
                            timing.record(in, System.nanoTime() - t0);
                            perTarget.get(in.target()).increment();
                            if (r.answered()) {
                                answered.increment();
                            }
                            if (r.closedByNode()) {
                                closed.increment();
                            }
                            if (r.failure() != null) {
                                failure.compareAndSet(null, replayText(in, r.failure()));
                            }
                        }
                    }));
                }
                for (Future<?> w : workers) {
                    w.get();
                }
                sampler.cancel(false);
                sample.run(); // the batch's end counts too, however short the batch
                sent = batchEnd - options.first() + 1;
                if (failure.get() != null) {
                    break;
                }
                String range = options.seed() + ":" + batchStart + "-" + batchEnd;
                String problem = checkBatch(baselineFds, maxFds, maxRss, maxHeap, range);
                commits++;
                if (problem != null) {
                    failure.set(problem + "\n  inputs since the last good check: replay with --replay " + range);
                    break;
                }
                long now = System.nanoTime();
                if (now - lastReport > TimeUnit.SECONDS.toNanos(20) || batchEnd == options.last()) {
                    lastReport = now;
                    double secs = (now - started) / 1e9;
                    System.out.printf("FUZZ %d/%d inputs, %.0f/s, fds now %s max %s, max RSS MiB %s%n", sent,
                            options.inputs(), sent / secs, fdsNow(), java.util.Arrays.toString(maxFds),
                            java.util.Arrays.toString(java.util.Arrays.stream(maxRss).map(b -> b >> 20).toArray()));
                }
            }
        } finally {
            pool.shutdownNow();
            sampling.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long[] retainedAfter = new long[n];
        if (failure.get() == null) {
            for (int i = 0; i < n; i++) {
                retainedAfter[i] = NodeResources.heapAfterGc(cluster, nodes.get(i), adminToken);
                if (retainedAfter[i] > retainedBefore[i] + RETAINED_HEAP_GROWTH) {
                    failure.set(nodes.get(i).id() + " retains " + (retainedAfter[i] >> 20) + " MiB of heap after a full GC, "
                            + (retainedBefore[i] >> 20) + " MiB before the run (bound: +" + (RETAINED_HEAP_GROWTH >> 20) + ")");
                }
            }
        }
        if (failure.get() == null) {
            String digests = awaitSameDigest();
            if (digests != null) {
                failure.set(digests);
            }
        }
        if (failure.get() != null) {
            failures.add(failure.get());
        }
        System.out.println("FUZZ timing " + timing + "; connects over 5 s (retried): " + sender.slowConnects.sum());
        if (sent < options.inputs()) {
            System.out.println("FUZZ stopped at the deadline " + options.until() + " after " + sent + " of "
                    + options.inputs() + " inputs");
        }
        Map<FuzzInput.Target, Long> counts = new EnumMap<>(FuzzInput.Target.class);
        perTarget.forEach((t, c) -> counts.put(t, c.sum()));
        return new Report(options.seed(), counts.values().stream().mapToLong(Long::longValue).sum(), counts,
                answered.sum(), closed.sum(), seconds, baselineFds, maxFds, maxRss, maxHeap, retainedBefore,
                retainedAfter, commits, failures);
    }

    private String fdsNow() {
        return java.util.Arrays.toString(cluster.nodes().stream().mapToInt(nd -> NodeResources.fds(cluster.pid(nd))).toArray());
    }

    private String replayText(FuzzInput in, String why) {
        return why + "\n  " + in.describe() + "\n  replay: scripts/fuzz.sh --replay " + options.seed() + ":" + in.index()
                + "\n" + Hexdump.of(in.payload(), 4096);
    }

    /** Null when every node passed the between-batch checks, else what failed. */
    private String checkBatch(int[] baselineFds, int[] maxFds, long[] maxRss, long[] maxHeap, String range) {
        List<FuzzCluster.Node> nodes = cluster.nodes();
        for (FuzzCluster.Node nd : nodes) {
            if (!cluster.alive(nd)) {
                return nd.id() + " (pid " + cluster.pid(nd) + ") is dead; see " + cluster.nodeLog(nd);
            }
        }
        String live = checkLiveness("after inputs " + range);
        if (live != null) {
            return live;
        }
        for (int i = 0; i < nodes.size(); i++) {
            FuzzCluster.Node nd = nodes.get(i);
            int limit = baselineFds[i] + FD_SLACK;
            try {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .until(() -> NodeResources.fds(cluster.pid(nd)) <= limit);
            } catch (ConditionTimeoutException e) {
                return nd.id() + " holds " + NodeResources.fds(cluster.pid(nd)) + " fds 30 s after the batch; baseline "
                        + baselineFds[i] + " (bound +" + FD_SLACK + ")";
            }
            if (maxFds[i] > FD_CEILING) {
                return nd.id() + " held " + maxFds[i] + " fds during the batch (bound " + FD_CEILING + ")";
            }
            NodeResources.Sample s = NodeResources.sample(cluster, nd, adminToken);
            maxRss[i] = Math.max(maxRss[i], s.rssBytes());
            maxHeap[i] = Math.max(maxHeap[i], s.heapBytes());
            if (maxRss[i] > RSS_LIMIT) {
                return nd.id() + " resident memory " + (maxRss[i] >> 20) + " MiB (bound " + (RSS_LIMIT >> 20) + ")";
            }
        }
        return null;
    }

    /** Null when every node is ready and a real transaction commits, within the bound. */
    String checkLiveness(String when) {
        try {
            cluster.awaitReady(LIVENESS_BOUND);
        } catch (ConditionTimeoutException e) {
            StringBuilder s = new StringBuilder("not every node ready within " + LIVENESS_BOUND + " " + when + ":");
            for (FuzzCluster.Node nd : cluster.nodes()) {
                s.append(' ').append(nd.id()).append('=').append(cluster.status(nd, "/health/ready", null, Duration.ofSeconds(2)));
            }
            return s.toString();
        }
        AtomicReference<String> last = new AtomicReference<>();
        try {
            String xid = await().atMost(LIVENESS_BOUND).pollInterval(Duration.ofMillis(200)).until(() -> {
                try {
                    return liveness.commitOne("fuzz-liveness");
                } catch (Exception e) {
                    last.set(e.toString());
                    return null;
                }
            }, x -> x != null);
            await().atMost(LIVENESS_BOUND).until(() -> liveness.phaseTwoCommitted(xid));
        } catch (ConditionTimeoutException e) {
            return "no transaction committed through seata-all within " + LIVENESS_BOUND + " " + when + ": " + last.get();
        }
        return null;
    }

    /**
     * Null when every replica reports the same applied index and digest. The leader keeps appending after the
     * inputs stop (fuzzed transactions time out, RMs that went away are retried), and a digest taken while
     * entries arrive names no index, so: wait until all replicas show one applied index that has not moved
     * for {@link #QUIET} (not for the first try), then take the digests one node after the other; if the index
     * moved meanwhile, again.
     */
    private String awaitSameDigest() {
        AtomicReference<List<String>> seen = new AtomicReference<>(List.of());
        AtomicReference<String> phase = new AtomicReference<>("no quiet moment (applied indexes kept moving)");
        long[] quietSince = {0};
        long[] quietIndex = {-1};
        try {
            await().atMost(END_CHECK_BOUND).pollInterval(Duration.ofSeconds(1)).until(() -> {
                List<Long> indexes = cluster.nodes().stream()
                        .map(nd -> cluster.appliedIndex(nd).orElse(-1)).toList();
                long index = indexes.get(0);
                boolean same = index >= 0 && indexes.stream().allMatch(i -> i == index);
                if (!same || index != quietIndex[0]) {
                    quietIndex[0] = same ? index : -1;
                    quietSince[0] = System.nanoTime();
                    phase.set("applied indexes " + indexes + " not yet equal and still");
                    return false;
                }
                // The first comparison right away (a short run is usually quiet already); after a miss only
                // once the index has stood still for QUIET.
                if (!seen.get().isEmpty() && System.nanoTime() - quietSince[0] < QUIET.toNanos()) {
                    return false;
                }
                List<String> all = cluster.nodes().stream().map(nd -> cluster.digest(nd, adminToken).orElse("none")).toList();
                seen.set(all);
                phase.set("digests " + all + " at applied index " + index);
                if (all.stream().distinct().count() == 1 && all.get(0).startsWith(index + ":")) {
                    return true;
                }
                quietIndex[0] = -1; // something moved (or a node did not answer): wait for the next quiet moment
                return false;
            });
            System.out.println("FUZZ replicas agree: " + seen.get().get(0));
            return null;
        } catch (ConditionTimeoutException e) {
            return "replicas did not show one state digest within " + END_CHECK_BOUND + ": " + phase.get();
        }
    }
}
