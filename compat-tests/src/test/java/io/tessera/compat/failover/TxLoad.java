package io.tessera.compat.failover;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
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
 * Closed-loop load through the real TM and RM: each thread runs two-branch TCC transactions back to
 * back (begin, register branch 1, register branch 2, commit) and records what it saw. A failure
 * before commit is followed by a rollback, as Seata's TransactionalTemplate does for a business error.
 * Next to the closed loop, an open-loop prober starts one transaction every 100 ms, so that "first new
 * transaction committed after a kill" is measured even while every closed-loop thread is stuck.
 */
final class TxLoad implements AutoCloseable {
    enum Outcome { COMMITTED, COMMIT_ANSWERED_OTHER, FAILED }

    /** One transaction as the client saw it; times are System.nanoTime(). */
    record TxRecord(String xid, long startNanos, long endNanos, Outcome outcome, GlobalStatus answered,
            String stage, String error, long branch1, long branch2, boolean probe) {
        boolean overlaps(long nanos) {
            return startNanos <= nanos && nanos <= endNanos;
        }
    }

    static final String RESOURCE_1 = "failover-tcc-1";
    static final String RESOURCE_2 = "failover-tcc-2";

    /** A thread whose transaction failed waits this long before the next, as a request arriving later would. */
    private static final long FAILURE_PACING_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long PROBE_INTERVAL_MS = 100;

    private final int threads;
    private final int txTimeoutMs;
    private final ExecutorService pool;
    /** Open-loop probes: one new transaction every PROBE_INTERVAL_MS whatever the closed loop is stuck on. */
    private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(daemon("failover-prober"));
    private final ExecutorService probes = new ThreadPoolExecutor(0, 64, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), daemon("failover-probe"), new ThreadPoolExecutor.DiscardPolicy());
    private final AtomicBoolean running = new AtomicBoolean();
    private final Queue<TxRecord> records = new ConcurrentLinkedQueue<>();
    private final AtomicLong committed = new AtomicLong();

    TxLoad(int threads, int txTimeoutMs) {
        this.threads = threads;
        this.txTimeoutMs = txTimeoutMs;
        this.pool = Executors.newFixedThreadPool(threads, daemon("failover-load"));
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
            pool.execute(this::loop);
        }
        prober.scheduleAtFixedRate(() -> probes.execute(() -> records.add(runOne(true))), PROBE_INTERVAL_MS,
                PROBE_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    /** Stops starting transactions and waits for the ones in flight (bounded by the client's own timeouts). */
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

    List<TxRecord> records() {
        return new ArrayList<>(records);
    }

    private void loop() {
        while (running.get()) {
            TxRecord r = runOne(false);
            records.add(r);
            if (r.outcome() == Outcome.FAILED) {
                LockSupport.parkNanos(FAILURE_PACING_NANOS);
            }
        }
    }

    private TxRecord runOne(boolean probe) {
        long start = System.nanoTime();
        String xid = null;
        String stage = "begin";
        long b1 = 0;
        long b2 = 0;
        GlobalTransaction tx = GlobalTransactionContext.createNew();
        try {
            tx.begin(txTimeoutMs, "failover");
            xid = tx.getXid();
            stage = "register1";
            b1 = DefaultResourceManager.get().branchRegister(BranchType.TCC, RESOURCE_1, null, xid, null, null);
            stage = "register2";
            b2 = DefaultResourceManager.get().branchRegister(BranchType.TCC, RESOURCE_2, null, xid, null, null);
            stage = "commit";
            tx.commit();
            GlobalStatus answered = tx.getLocalStatus();
            Outcome o = answered == GlobalStatus.Committed ? Outcome.COMMITTED : Outcome.COMMIT_ANSWERED_OTHER;
            if (o == Outcome.COMMITTED) {
                committed.incrementAndGet();
            }
            return new TxRecord(xid, start, System.nanoTime(), o, answered, stage, null, b1, b2, probe);
        } catch (Exception e) {
            long end = System.nanoTime();
            if (xid != null && !stage.equals("commit")) {
                rollbackQuietly(tx);
            }
            return new TxRecord(xid, start, end, Outcome.FAILED, null, stage, e.toString(), b1, b2, probe);
        } finally {
            RootContext.unbind();
        }
    }

    private static void rollbackQuietly(GlobalTransaction tx) {
        try {
            tx.rollback();
        } catch (Exception ignored) {
            // the TC's timeout driver rolls it back; the test checks that it ended
        }
    }

    @Override
    public void close() {
        running.set(false);
        prober.shutdownNow();
        pool.shutdownNow();
        probes.shutdownNow();
    }
}
