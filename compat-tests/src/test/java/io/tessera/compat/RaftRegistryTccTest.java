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
import java.nio.file.Path;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TCC through the unmodified seata-all 2.5.0 TM and RM, discovering the cluster with
 * {@code registry.type=raft} (the control ports' metadata API), against three real nodes.
 */
@Timeout(60)
class RaftRegistryTccTest {
    private static final String ACTION_CONTEXT =
            "{\"actionContext\":{\"sys::prepare\":\"prepare\",\"sys::commit\":\"commit\",\"sys::rollback\":\"rollback\","
                    + "\"actionName\":\"%s\",\"amount\":%d}}";

    @TempDir
    static Path dir;

    private static TesseraCluster cluster;
    private static SeataClient client;
    private static final ExecutorService rmThreads = Executors.newFixedThreadPool(2);

    @BeforeAll
    static void start() throws Exception {
        cluster = new TesseraCluster(dir, 3).start();
        client = SeataClient.withRaftRegistry(cluster).start(cluster);
    }

    @AfterAll
    static void stop() {
        rmThreads.shutdownNow();
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void unbind() {
        RootContext.unbind();
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
}
