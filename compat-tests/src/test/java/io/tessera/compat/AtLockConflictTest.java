package io.tessera.compat;

import static io.tessera.compat.SeataClient.AT_RESOURCE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.compat.PhaseTwoRecorder.Call;
import java.time.Duration;
import java.util.List;
import org.apache.seata.core.context.RootContext;
import org.apache.seata.core.exception.TransactionException;
import org.apache.seata.core.exception.TransactionExceptionCode;
import org.apache.seata.core.model.BranchStatus;
import org.apache.seata.core.model.BranchType;
import org.apache.seata.core.model.GlobalStatus;
import org.apache.seata.rm.DefaultResourceManager;
import org.apache.seata.tm.api.GlobalTransaction;
import org.apache.seata.tm.api.GlobalTransactionContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * AT global locks through the real RM client: BranchRegister with a lock key, and Seata's own
 * DataSourceManager.lockQuery (GlobalLockQuery), both batched by the RM client, against three nodes.
 */
@Timeout(60)
class AtLockConflictTest extends RaftRegistryClusterTest {

    /** Begins a transaction and leaves the thread unbound, so that several can be open at once. */
    private static GlobalTransaction begin(String name) throws Exception {
        GlobalTransaction tx = GlobalTransactionContext.createNew();
        tx.begin(30_000, name);
        RootContext.unbind();
        return tx;
    }

    private static long register(String xid, String lockKey) throws TransactionException {
        return DefaultResourceManager.get().branchRegister(BranchType.AT, AT_RESOURCE, null, xid, null, lockKey);
    }

    /** DataSourceManager only queries inside a global transaction (or a @GlobalLock), as in a real AT RM. */
    private static boolean lockable(String xid, String lockKey) throws TransactionException {
        RootContext.bind(xid);
        try {
            return DefaultResourceManager.get().lockQuery(BranchType.AT, AT_RESOURCE, xid, lockKey);
        } finally {
            RootContext.unbind();
        }
    }

    @Test
    void overlappingLockKeysConflictUntilTheHolderCommits() throws Exception {
        GlobalTransaction holder = begin("compat-at-holder");
        GlobalTransaction waiter = begin("compat-at-waiter");
        String x1 = holder.getXid();
        String x2 = waiter.getXid();

        long b1 = register(x1, "orders:1,2");
        TransactionException conflict = assertThrows(TransactionException.class, () -> register(x2, "orders:2,3"));
        assertEquals(TransactionExceptionCode.LockKeyConflict, conflict.getCode(), conflict.toString());

        assertFalse(lockable(x2, "orders:2"), "row 2 is held by " + x1);
        assertTrue(lockable(x2, "orders:3"), "the failed registration took no lock");
        assertTrue(lockable(x1, "orders:1,2"), "a transaction never conflicts with itself");

        holder.commit();
        assertEquals(GlobalStatus.Committed, holder.getLocalStatus(), "AT commit is answered Committed (async phase two)");
        await().atMost(Duration.ofSeconds(15)).until(() -> !client.recorder.callsFor(x1).isEmpty());
        assertEquals(List.of(new Call(true, BranchType.AT, x1, b1, AT_RESOURCE, null)), client.recorder.callsFor(x1));
        cluster.awaitEndedEverywhere(x1, GlobalStatus.Committed);

        assertTrue(lockable(x2, "orders:2"), "the holder's locks are gone once it committed");
        long b2 = register(x2, "orders:2,3");
        assertFalse(lockable(x1, "orders:3"), "now " + x2 + " holds row 3");

        waiter.rollback();
        assertEquals(GlobalStatus.Rollbacked, waiter.getLocalStatus());
        assertEquals(List.of(new Call(false, BranchType.AT, x2, b2, AT_RESOURCE, null)), client.recorder.callsFor(x2));
        cluster.awaitEndedEverywhere(x2, GlobalStatus.Rollbacked);
        assertTrue(lockable(x1, "orders:1,2,3"), "every lock released after both ended");
        cluster.awaitSameState();
    }

    @Test
    void branchWhosePhaseOneFailedIsNotRolledBackAndFreesItsLocks() throws Exception {
        GlobalTransaction tx = begin("compat-at-phase-one-failed");
        String xid = tx.getXid();
        long good = register(xid, "stock:10");
        long failed = register(xid, "stock:11");
        // What the AT RM does when its local commit fails after registering: report PhaseOne_Failed.
        DefaultResourceManager.get().branchReport(BranchType.AT, xid, failed, BranchStatus.PhaseOne_Failed, null);

        RootContext.bind(xid);
        tx.rollback();

        assertEquals(GlobalStatus.Rollbacked, tx.getLocalStatus());
        assertEquals(List.of(new Call(false, BranchType.AT, xid, good, AT_RESOURCE, null)), client.recorder.callsFor(xid),
                "Seata skips branches whose phase one failed");
        cluster.awaitEndedEverywhere(xid, GlobalStatus.Rollbacked);
        GlobalTransaction other = begin("compat-at-after-phase-one-failed");
        assertTrue(lockable(other.getXid(), "stock:10,11"));
        other.rollback();
    }

    /**
     * Several RM threads compete for one row the way AT's ConnectionProxy does (register, and on
     * LockKeyConflict wait the client's lock retry interval and register again). The coordinator must
     * never grant the row to two open transactions at once.
     */
    @Test
    void oneRowIsNeverHeldByTwoTransactionsAtOnce() throws Exception {
        int threads = 4;
        int rounds = 4;
        java.util.concurrent.atomic.AtomicInteger holders = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger maxHolders = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger conflicts = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<Integer>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    int committed = 0;
                    for (int r = 0; r < rounds; r++) {
                        GlobalTransaction tx = begin("compat-at-contention");
                        while (true) {
                            try {
                                register(tx.getXid(), "account:1");
                                break;
                            } catch (TransactionException e) {
                                assertEquals(TransactionExceptionCode.LockKeyConflict, e.getCode(), e.toString());
                                conflicts.incrementAndGet();
                                // Seata's AT client waits client.rm.lock.retryInterval (10 ms) between attempts.
                                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
                            }
                        }
                        maxHolders.accumulateAndGet(holders.incrementAndGet(), Math::max);
                        holders.decrementAndGet();
                        tx.commit();
                        assertEquals(GlobalStatus.Committed, tx.getLocalStatus());
                        committed++;
                    }
                    return committed;
                }));
            }
            int total = 0;
            for (java.util.concurrent.Future<Integer> f : done) {
                total += f.get(45, java.util.concurrent.TimeUnit.SECONDS);
            }
            assertEquals(threads * rounds, total);
            assertEquals(1, maxHolders.get(), "the row was granted to two open transactions at once");
            assertTrue(conflicts.get() > 0, "the threads did contend");
            cluster.awaitSameState();
        } finally {
            pool.shutdownNow();
        }
    }
}
