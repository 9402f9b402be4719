package io.tessera.compat;

import static io.tessera.compat.SeataClient.APP;
import static io.tessera.compat.SeataClient.GROUP;
import static io.tessera.compat.SeataClient.TCC_RESOURCE;
import static io.tessera.compat.SeataClient.TCC_RESOURCE_2;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.compat.PhaseTwoRecorder.Call;
import io.tessera.coordinator.transport.ClientSession;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.seata.core.context.RootContext;
import org.apache.seata.core.model.BranchStatus;
import org.apache.seata.core.model.BranchType;
import org.apache.seata.core.model.GlobalStatus;
import org.apache.seata.core.protocol.Version;
import org.apache.seata.core.rpc.netty.RmNettyRemotingClient;
import org.apache.seata.rm.DefaultResourceManager;
import org.apache.seata.tm.api.GlobalTransaction;
import org.apache.seata.tm.api.GlobalTransactionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * TCC through the unmodified seata-all 2.5.0 TM and RM, discovering the cluster with
 * {@code registry.type=raft} (the control ports' metadata API), against three real nodes.
 */
@Timeout(60)
class RaftRegistryTccTest extends RaftRegistryClusterTest {
    private static final String ACTION_CONTEXT =
            "{\"actionContext\":{\"sys::prepare\":\"prepare\",\"sys::commit\":\"commit\",\"sys::rollback\":\"rollback\","
                    + "\"actionName\":\"%s\",\"amount\":%d}}";

    private static final ExecutorService rmThreads = Executors.newFixedThreadPool(2);

    @AfterAll
    static void stopRmThreads() {
        rmThreads.shutdownNow();
    }

    private static GlobalTransaction begin(String name) throws Exception {
        GlobalTransaction tx = GlobalTransactionContext.createNew();
        tx.begin(30_000, name);
        return tx;
    }

    private static long register(String resource, String xid, String applicationData) throws Exception {
        return DefaultResourceManager.get().branchRegister(BranchType.TCC, resource, null, xid, applicationData, null);
    }

    /** Both branches registered at once from two threads, as two TCC participants of one service would. */
    private static long[] registerTwoConcurrently(String xid, String data1, String data2) {
        CompletableFuture<Long> b1 = CompletableFuture.supplyAsync(() -> uncheckedRegister(TCC_RESOURCE, xid, data1),
                rmThreads);
        CompletableFuture<Long> b2 = CompletableFuture.supplyAsync(() -> uncheckedRegister(TCC_RESOURCE_2, xid, data2),
                rmThreads);
        return new long[] {b1.join(), b2.join()};
    }

    private static long uncheckedRegister(String resource, String xid, String data) {
        try {
            return register(resource, xid, data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void rmRegistersOnTheLeaderWithItsResourcesVersionAndBatching() {
        int leader = cluster.leaderIndex();
        ClientSession session = cluster.rmSessions(leader).stream().filter(s -> s.holds(TCC_RESOURCE)).findFirst()
                .orElseThrow();
        assertEquals(APP, session.applicationId());
        assertEquals(GROUP, session.transactionServiceGroup());
        assertEquals(Version.getCurrent(), session.version().text());
        assertEquals(Set.of(TCC_RESOURCE, TCC_RESOURCE_2, SeataClient.AT_RESOURCE), session.resourceIds());
        assertTrue(RmNettyRemotingClient.getInstance().isEnableClientBatchSendRequest(),
                "RM requests travel in MergedWarpMessage (client default)");
    }

    @Test
    void tccCommitDeliversBranchCommitForEveryBranchAndEndsCommittedEverywhere() throws Exception {
        GlobalTransaction tx = begin("compat-commit");
        String xid = tx.getXid();
        assertEquals(cluster.leaderIndex(), cluster.nodeOfXid(xid),
                "with the raft registry the TM sends GlobalBegin to the leader: " + xid);
        String data1 = String.format(ACTION_CONTEXT, "deduct", 10);
        String data2 = String.format(ACTION_CONTEXT, "credit", 10);
        long[] ids = registerTwoConcurrently(xid, data1, data2);
        assertNotEquals(ids[0], ids[1]);
        assertTrue(ids[0] > 0 && ids[1] > 0);

        tx.commit();

        assertEquals(GlobalStatus.Committed, tx.getLocalStatus());
        List<Call> calls = client.recorder.callsFor(xid);
        assertEquals(Set.of(
                new Call(true, BranchType.TCC, xid, ids[0], TCC_RESOURCE, data1),
                new Call(true, BranchType.TCC, xid, ids[1], TCC_RESOURCE_2, data2)), Set.copyOf(calls));
        assertEquals(2, calls.size(), "each branch committed exactly once: " + calls);
        cluster.awaitEndedEverywhere(xid, GlobalStatus.Committed);
        cluster.awaitSameState();
    }

    @Test
    void tccRollbackUndoesBranchesNewestFirstAndEndsRollbacked() throws Exception {
        GlobalTransaction tx = begin("compat-rollback");
        String xid = tx.getXid();
        long first = register(TCC_RESOURCE, xid, String.format(ACTION_CONTEXT, "deduct", 5));
        long second = register(TCC_RESOURCE_2, xid, String.format(ACTION_CONTEXT, "credit", 5));

        tx.rollback();

        assertEquals(GlobalStatus.Rollbacked, tx.getLocalStatus());
        List<Call> calls = client.recorder.callsFor(xid);
        assertEquals(List.of(second, first), calls.stream().map(Call::branchId).toList(), "reverse order: " + calls);
        assertTrue(calls.stream().noneMatch(Call::commit));
        assertEquals(String.format(ACTION_CONTEXT, "credit", 5), calls.get(0).applicationData());
        cluster.awaitEndedEverywhere(xid, GlobalStatus.Rollbacked);
    }

    @Test
    void retryableCommitFailureIsRetriedUntilTheRmCommits() throws Exception {
        GlobalTransaction tx = begin("compat-retryable");
        String xid = tx.getXid();
        client.recorder.script(xid, (call, attempt) -> attempt == 1
                ? BranchStatus.PhaseTwo_CommitFailed_Retryable : BranchStatus.PhaseTwo_Committed);
        long branch = register(TCC_RESOURCE, xid, null);

        tx.commit();

        // Seata's TM treats every commit answer except Finished and the timeout family as success.
        GlobalStatus answered = tx.getLocalStatus();
        assertTrue(answered == GlobalStatus.Committed || answered == GlobalStatus.CommitRetrying,
                "commit answered " + answered);
        cluster.awaitEndedEverywhere(xid, GlobalStatus.Committed);
        List<Call> calls = client.recorder.callsFor(xid);
        assertEquals(2, calls.size(), "one failed attempt, one retry: " + calls);
        assertTrue(calls.stream().allMatch(c -> c.commit() && c.branchId() == branch));
    }

    @Test
    void rmThatDoesNotAnswerIsAskedAgainAndItsLaterAnswerCommits() throws Exception {
        GlobalTransaction tx = begin("compat-silent-rm");
        String xid = tx.getXid();
        CountDownLatch secondAttempt = new CountDownLatch(1);
        client.recorder.script(xid, (call, attempt) -> {
            if (attempt == 1) {
                // Stay silent past the coordinator's RM request timeout; answer once it has asked again.
                secondAttempt.await(30, TimeUnit.SECONDS);
            } else {
                secondAttempt.countDown();
            }
            return BranchStatus.PhaseTwo_Committed;
        });
        register(TCC_RESOURCE, xid, null);

        tx.commit();

        cluster.awaitEndedEverywhere(xid, GlobalStatus.Committed);
        assertEquals(0, secondAttempt.getCount(), "the coordinator asked again after the RM stayed silent");
        await().atMost(Duration.ofSeconds(10)).until(() -> client.recorder.callsFor(xid).size() >= 2);
        GlobalStatus answered = tx.getLocalStatus();
        assertTrue(answered == GlobalStatus.Committed || answered == GlobalStatus.CommitRetrying
                || answered == GlobalStatus.Committing, "commit answered " + answered);
    }

    /**
     * Many transactions at once from several threads: the RM client packs concurrent BranchRegisters
     * into shared MergedWarpMessage frames, so a mismatched batch answer would hand a thread another
     * transaction's branch id. Every branch id the client got must come back in the right BranchCommit.
     */
    @Test
    void concurrentTransactionsEachGetTheirOwnBranchIdsAndCommit() throws Exception {
        int threads = 6;
        int perThread = 5;
        ExecutorService tms = Executors.newFixedThreadPool(threads);
        try {
            List<CompletableFuture<List<Call>>> work = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                work.add(CompletableFuture.supplyAsync(() -> runTransactions(thread, perThread), tms));
            }
            List<Call> expected = work.stream().flatMap(f -> f.join().stream()).toList();
            assertEquals(threads * perThread * 2, expected.size());
            for (Call c : expected) {
                assertEquals(List.of(c), client.recorder.callsFor(c.xid()).stream()
                        .filter(x -> x.resourceId().equals(c.resourceId())).toList(), "branch of " + c.xid());
            }
            String last = expected.get(expected.size() - 1).xid();
            cluster.awaitEndedEverywhere(last, GlobalStatus.Committed);
            cluster.awaitSameState();
            for (Call c : expected) {
                assertEquals(java.util.Optional.of(GlobalStatus.Committed), cluster.endedStatus(0, c.xid()));
            }
        } finally {
            tms.shutdownNow();
        }
    }

    /** Runs {@code count} two-branch transactions on this thread; returns the BranchCommits each must cause. */
    private static List<Call> runTransactions(int thread, int count) {
        List<Call> expected = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                GlobalTransaction tx = begin("compat-concurrent-" + thread + "-" + i);
                String xid = tx.getXid();
                String d1 = String.format(ACTION_CONTEXT, "t" + thread + "-" + i + "-a", i);
                String d2 = String.format(ACTION_CONTEXT, "t" + thread + "-" + i + "-b", i);
                long b1 = register(TCC_RESOURCE, xid, d1);
                long b2 = register(TCC_RESOURCE_2, xid, d2);
                tx.commit();
                assertEquals(GlobalStatus.Committed, tx.getLocalStatus(), xid);
                expected.add(new Call(true, BranchType.TCC, xid, b1, TCC_RESOURCE, d1));
                expected.add(new Call(true, BranchType.TCC, xid, b2, TCC_RESOURCE_2, d2));
            }
            return expected;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            RootContext.unbind();
        }
    }

    /** Seata's TC answers Finished for an XID it does not know; TransactionalTemplate turns that into CommitHeuristic. */
    @Test
    void commitOfAnUnknownXidIsAnsweredFinished() throws Exception {
        String unknown = cluster.transactionAddress(cluster.leaderIndex()) + ":4242424242";
        GlobalTransaction tx = GlobalTransactionContext.reload(unknown);
        tx.commit();
        assertEquals(GlobalStatus.Finished, tx.getLocalStatus());
        assertTrue(GlobalStatus.isTwoPhaseHeuristic(tx.getLocalStatus()));
        assertEquals(GlobalStatus.Finished, GlobalTransactionContext.reload(unknown).getStatus());
    }
}
