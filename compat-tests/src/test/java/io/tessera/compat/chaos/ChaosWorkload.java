package io.tessera.compat.chaos;

import io.tessera.compat.chaos.TxHistory.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.seata.core.context.RootContext;
import org.apache.seata.core.model.BranchType;
import org.apache.seata.core.model.GlobalStatus;
import org.apache.seata.rm.DefaultResourceManager;
import org.apache.seata.tm.api.GlobalTransaction;
import org.apache.seata.tm.api.GlobalTransactionContext;

/**
 * Closed-loop threads through the real TM and RM, each transaction one of: two-branch TCC commit,
 * two-branch TCC intended rollback, AT branch holding global locks on one or two of {@value #KEYS} rows
 * (contention) then commit, or the same then rollback. A register failure (a lock conflict, a fault) is
 * followed by a rollback, as Seata's TransactionalTemplate does. An open-loop prober adds a TCC commit
 * every {@value #PROBE_MS} ms so that the first commit after a fault is seen even while every closed-loop
 * thread is stuck.
 */
final class ChaosWorkload implements AutoCloseable {
    static final String TCC_1 = "chaos-tcc-1";
    static final String TCC_2 = "chaos-tcc-2";
    static final String AT = "jdbc:mysql://127.0.0.1:3306/chaos";
    static final int KEYS = 8;
    private static final long PROBE_MS = 200;

    private final int threads;
    private final int txTimeoutMs;
    private final long seed;
    private final ExecutorService pool;
    private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(daemon("chaos-prober"));
    private final ExecutorService probes = new ThreadPoolExecutor(0, 32, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
            daemon("chaos-probe"), new ThreadPoolExecutor.DiscardPolicy());
    private final AtomicBoolean running = new AtomicBoolean();
    private final Queue<TxHistory> records = new ConcurrentLinkedQueue<>();
    private final AtomicLong committed = new AtomicLong();

    ChaosWorkload(int threads, int txTimeoutMs, long seed) {
        this.threads = threads;
        this.txTimeoutMs = txTimeoutMs;
        this.seed = seed;
        this.pool = Executors.newFixedThreadPool(threads, daemon("chaos-load"));
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    void start() {
        running.set(true);
        for (int i = 0; i < threads; i++) {
            Random r = new Random(seed * 31 + i);
            pool.execute(() -> loop(r));
        }
        prober.scheduleAtFixedRate(() -> probes.execute(() -> records.add(run(Shape.TCC_COMMIT, null, true))),
                PROBE_MS, PROBE_MS, TimeUnit.MILLISECONDS);
    }

    /** Stops starting transactions and waits for those in flight (bounded by the client's own timeouts). */
    void stop() throws InterruptedException {
        running.set(false);
        prober.shutdownNow();
        pool.shutdown();
        probes.shutdown();
        if (!pool.awaitTermination(120, TimeUnit.SECONDS) || !probes.awaitTermination(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("load threads still busy 120 s after stop");
        }
    }

    long committedCount() {
        return committed.get();
    }

    int txTimeoutMs() {
        return txTimeoutMs;
    }

    List<TxHistory> records() {
        return new ArrayList<>(records);
    }

    private void loop(Random r) {
        while (running.get()) {
            int p = r.nextInt(10);
            Shape shape = p < 4 ? Shape.TCC_COMMIT : p < 6 ? Shape.TCC_ROLLBACK : p < 9 ? Shape.AT_COMMIT : Shape.AT_ROLLBACK;
            String lockKey = null;
            if (shape == Shape.AT_COMMIT || shape == Shape.AT_ROLLBACK) {
                int a = r.nextInt(KEYS);
                int b = r.nextInt(KEYS);
                lockKey = "chaos_acct:" + (a == b ? String.valueOf(a) : Math.min(a, b) + "," + Math.max(a, b));
            }
            TxHistory h = run(shape, lockKey, false);
            records.add(h);
            if (h.failed()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
    }

    private TxHistory run(Shape shape, String lockKey, boolean probe) {
        TxHistory h = new TxHistory(shape, probe);
        GlobalTransaction tx = GlobalTransactionContext.createNew();
        String stage = "begin";
        try {
            tx.begin(txTimeoutMs, "chaos-" + shape.name().toLowerCase());
            h.xid = tx.getXid();
            h.event("begun");
            if (lockKey != null) {
                stage = "register AT " + lockKey;
                register(h, BranchType.AT, AT, lockKey);
            } else {
                stage = "register TCC 1";
                register(h, BranchType.TCC, TCC_1, null);
                stage = "register TCC 2";
                register(h, BranchType.TCC, TCC_2, null);
            }
            boolean commit = shape == Shape.TCC_COMMIT || shape == Shape.AT_COMMIT;
            stage = commit ? "commit" : "rollback";
            end(h, tx, commit);
            if (h.sawCommitted()) {
                committed.incrementAndGet();
            }
        } catch (Exception e) {
            h.error = stage + ": " + e;
            h.event("failed at " + stage + ": " + e);
            if (h.xid != null && h.endSentNanos == 0) {
                try {
                    end(h, tx, false);
                } catch (Exception again) {
                    h.event("rollback failed: " + again);
                }
            }
        } finally {
            RootContext.unbind();
        }
        return h;
    }

    private static void register(TxHistory h, BranchType type, String resource, String lockKey) throws Exception {
        long sent = System.nanoTime();
        long branch = DefaultResourceManager.get().branchRegister(type, resource, null, h.xid, null, lockKey);
        long answered = System.nanoTime();
        h.branches.add(new TxHistory.Branch(branch, resource, lockKey, sent, answered));
        h.event("registered " + type + " " + resource + " branch " + branch + (lockKey != null ? " locks " + lockKey : "")
                + " (sent " + ChaosClock.stamp(sent) + ")");
    }

    private static void end(TxHistory h, GlobalTransaction tx, boolean commit) throws Exception {
        h.endedWithCommit = commit;
        h.endSentNanos = System.nanoTime();
        h.event(commit ? "commit sent" : "rollback sent");
        if (commit) {
            tx.commit();
        } else {
            tx.rollback();
        }
        h.endNanos = System.nanoTime();
        GlobalStatus s = tx.getLocalStatus();
        h.answered = s;
        h.event((commit ? "commit" : "rollback") + " answered " + s);
    }

    @Override
    public void close() {
        running.set(false);
        prober.shutdownNow();
        pool.shutdownNow();
        probes.shutdownNow();
    }
}
