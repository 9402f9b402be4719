package io.tessera.coordinator.tc;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.codec.RpcFrame;
import io.tessera.codec.message.BranchEndRequest;
import io.tessera.codec.message.BranchEndResponse;
import io.tessera.codec.message.BranchRegisterRequest;
import io.tessera.codec.message.BranchRegisterResponse;
import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalBeginRequest;
import io.tessera.codec.message.GlobalBeginResponse;
import io.tessera.codec.message.GlobalEndRequest;
import io.tessera.codec.message.GlobalEndResponse;
import io.tessera.codec.message.GlobalLockQueryRequest;
import io.tessera.codec.message.GlobalLockQueryResponse;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.message.ResultCode;
import io.tessera.codec.message.TransactionExceptionCode;
import io.tessera.coordinator.testing.LocalCluster;
import io.tessera.coordinator.testing.RawClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end through the real front end, real jraft and real RocksDB: a TM on a follower (its
 * requests are forwarded), an RM on the leader answering phase two.
 */
@Timeout(120)
class ClusterTransactionTest {
    @TempDir
    Path dir;

    private LocalCluster cluster;
    private final List<RawClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        TcOptions fast = new TcOptions(4_000, 2_000, 200, 500, 60_000, 60_000);
        cluster = new LocalCluster(dir, 3, fast).start();
    }

    @AfterEach
    void stop() {
        clients.forEach(RawClient::close);
        cluster.close();
    }

    private RawClient client(int node) {
        RawClient c = new RawClient(cluster.transactionPort(node));
        clients.add(c);
        return c;
    }

    private static <T> T answer(RawClient c, int id, Class<T> type) {
        RpcFrame f = c.next(Duration.ofSeconds(10));
        assertEquals(id, f.requestId(), "answer to request " + id);
        return assertInstanceOf(type, f.body());
    }

    private String begin(RawClient tm) {
        int id = tm.request(new GlobalBeginRequest(60_000, "transfer"));
        GlobalBeginResponse r = answer(tm, id, GlobalBeginResponse.class);
        assertEquals(ResultCode.Success, r.resultCode(), r.msg());
        return r.xid();
    }

    private BranchRegisterResponse register(RawClient rm, String xid, BranchType type, String resource, String lockKey) {
        int id = rm.request(new BranchRegisterRequest(xid, type, resource, lockKey, "{\"k\":\"v\"}"));
        return answer(rm, id, BranchRegisterResponse.class);
    }

    /** Reads the next phase-two request on an RM connection and answers it with {@code status}. */
    private static BranchEndRequest answerPhaseTwo(RawClient rm, BranchStatus status) {
        RpcFrame f = rm.next(Duration.ofSeconds(10));
        BranchEndRequest req = assertInstanceOf(BranchEndRequest.class, f.body());
        rm.send(RpcFrame.response(f.requestId(), RpcFrame.CODEC_SEATA, new BranchEndResponse(req.commit(),
                ResultCode.Success, null, TransactionExceptionCode.Unknown, req.xid(), req.branchId(), status)));
        return req;
    }

    @Test
    void tccCommitDrivesEveryBranchAndEndsCommitted() throws Exception {
        int leader = cluster.leaderIndex();
        RawClient tm = client(cluster.followerIndex());
        tm.registerTm("orders", "2.5.0");
        RawClient rm = client(leader);
        rm.registerRm("stock", "2.5.0", "deduct,credit");

        String xid = begin(tm);
        assertTrue(xid.startsWith("127.0.0.1:" + cluster.transactionPort(cluster.followerIndex()) + ":"), xid);
        long b1 = register(rm, xid, BranchType.TCC, "deduct", null).branchId();
        long b2 = register(rm, xid, BranchType.TCC, "credit", null).branchId();
        assertTrue(b1 > 0 && b2 > 0 && b1 != b2);

        int commitId = tm.request(new GlobalEndRequest(GlobalEndRequest.Kind.COMMIT, xid, null));
        BranchEndRequest first = answerPhaseTwo(rm, BranchStatus.PhaseTwo_Committed);
        BranchEndRequest second = answerPhaseTwo(rm, BranchStatus.PhaseTwo_Committed);
        assertTrue(first.commit() && second.commit());
        assertEquals("{\"k\":\"v\"}", first.applicationData(), "stored applicationData is echoed");
        assertEquals(java.util.Set.of(b1, b2), java.util.Set.of(first.branchId(), second.branchId()));

        GlobalEndResponse committed = answer(tm, commitId, GlobalEndResponse.class);
        assertEquals(ResultCode.Success, committed.resultCode());
        assertEquals(GlobalStatus.Committed, committed.globalStatus());

        // The TM hears Committed once both RMs confirmed; the results then apply one round later, so a
        // status query may briefly still see Committing, never anything else.
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            int statusId = tm.request(new GlobalEndRequest(GlobalEndRequest.Kind.STATUS, xid, null));
            GlobalStatus s = answer(tm, statusId, GlobalEndResponse.class).globalStatus();
            assertTrue(s == GlobalStatus.Committed || s == GlobalStatus.Committing, "status after commit: " + s);
            return s == GlobalStatus.Committed;
        });
        cluster.awaitSameState();
    }

    @Test
    void rollbackGoesInReverseRegistrationOrder() throws Exception {
        int leader = cluster.leaderIndex();
        RawClient tm = client(leader);
        tm.registerTm("orders", "2.2.0");
        RawClient rm = client(leader);
        rm.registerRm("stock", "2.2.0", "a,b");
        String xid = begin(tm);
        long b1 = register(rm, xid, BranchType.TCC, "a", null).branchId();
        long b2 = register(rm, xid, BranchType.TCC, "b", null).branchId();

        int id = tm.request(new GlobalEndRequest(GlobalEndRequest.Kind.ROLLBACK, xid, null));
        BranchEndRequest first = answerPhaseTwo(rm, BranchStatus.PhaseTwo_Rollbacked);
        BranchEndRequest second = answerPhaseTwo(rm, BranchStatus.PhaseTwo_Rollbacked);
        assertFalse(first.commit());
        assertEquals(b2, first.branchId(), "newest branch first");
        assertEquals(b1, second.branchId());
        assertEquals(GlobalStatus.Rollbacked, answer(tm, id, GlobalEndResponse.class).globalStatus());
    }

    @Test
    void phaseTwoReachesAnRmConnectedOnlyToAFollower() throws Exception {
        int leader = cluster.leaderIndex();
        int follower = cluster.followerIndex();
        RawClient tm = client(leader);
        tm.registerTm("orders", "2.5.0");
        RawClient rm = client(follower);
        rm.registerRm("stock", "2.5.0", "only-here");
        String xid = begin(tm);
        long branch = register(rm, xid, BranchType.TCC, "only-here", null).branchId();

        int id = tm.request(new GlobalEndRequest(GlobalEndRequest.Kind.COMMIT, xid, null));
        BranchEndRequest delivered = answerPhaseTwo(rm, BranchStatus.PhaseTwo_Committed);
        assertEquals(branch, delivered.branchId(), "the leader reached the RM through the follower");
        assertEquals(GlobalStatus.Committed, answer(tm, id, GlobalEndResponse.class).globalStatus());
    }

    @Test
    void retryableCommitFailureIsRetriedUntilCommitted() throws Exception {
        int leader = cluster.leaderIndex();
        RawClient tm = client(leader);
        tm.registerTm("orders", "2.5.0");
        RawClient rm = client(leader);
        rm.registerRm("stock", "2.5.0", "a");
        String xid = begin(tm);
        register(rm, xid, BranchType.TCC, "a", null);

        int id = tm.request(new GlobalEndRequest(GlobalEndRequest.Kind.COMMIT, xid, null));
        answerPhaseTwo(rm, BranchStatus.PhaseTwo_CommitFailed_Retryable);
        assertEquals(GlobalStatus.CommitRetrying, answer(tm, id, GlobalEndResponse.class).globalStatus(),
                "the TM learns at once that phase two is retrying");
        BranchEndRequest retried = answerPhaseTwo(rm, BranchStatus.PhaseTwo_Committed);
        assertTrue(retried.commit());
        await().atMost(Duration.ofSeconds(10)).until(() ->
                cluster.node(leader).stateMachine().view().ended(xid).map(e -> e.finalStatus()).orElse(null)
                        == GlobalStatus.Committed);
    }

    @Test
    void committedAnswerOfAGlobalHoldingRowLocksComesAfterTheLocksAreReleased() throws Exception {
        int leader = cluster.leaderIndex();
        RawClient tm = client(leader);
        tm.registerTm("orders", "2.5.0");
        RawClient rm = client(leader);
        rm.registerRm("stock", "2.5.0", "tcc-deduct,jdbc:db1");
        String x1 = begin(tm);
        String x2 = begin(tm);
        // TCC + AT: phase two is synchronous (not AsyncCommitting), and the AT branch holds row t:7.
        assertEquals(ResultCode.Success, register(rm, x1, BranchType.TCC, "tcc-deduct", null).resultCode());
        assertEquals(ResultCode.Success, register(rm, x1, BranchType.AT, "jdbc:db1", "t:7").resultCode());

        int c = tm.request(new GlobalEndRequest(GlobalEndRequest.Kind.COMMIT, x1, null));
        answerPhaseTwo(rm, BranchStatus.PhaseTwo_Committed);
        answerPhaseTwo(rm, BranchStatus.PhaseTwo_Committed);
        assertEquals(GlobalStatus.Committed, answer(tm, c, GlobalEndResponse.class).globalStatus());

        // The TM heard Committed: the very next request for the same row must get its lock.
        assertEquals(ResultCode.Success, register(rm, x2, BranchType.AT, "jdbc:db1", "t:7").resultCode());
    }

    @Test
    void atLockConflictUntilTheHolderEnds() throws Exception {
        int leader = cluster.leaderIndex();
        RawClient tm = client(cluster.followerIndex());
        tm.registerTm("orders", "2.5.0");
        RawClient rm = client(leader);
        rm.registerRm("stock", "2.5.0", "jdbc:db1");
        String x1 = begin(tm);
        String x2 = begin(tm);
        assertEquals(ResultCode.Success, register(rm, x1, BranchType.AT, "jdbc:db1", "t:1,2").resultCode());
        BranchRegisterResponse conflict = register(rm, x2, BranchType.AT, "jdbc:db1", "t:2,3");
        assertEquals(ResultCode.Failed, conflict.resultCode());
        assertEquals(TransactionExceptionCode.LockKeyConflict, conflict.exceptionCode());

        int q = rm.request(new GlobalLockQueryRequest(x2, BranchType.AT, "jdbc:db1", "t:2", null));
        assertFalse(answer(rm, q, GlobalLockQueryResponse.class).lockable());

        int c = tm.request(new GlobalEndRequest(GlobalEndRequest.Kind.COMMIT, x1, null));
        assertEquals(GlobalStatus.Committed, answer(tm, c, GlobalEndResponse.class).globalStatus(),
                "AT commit is answered Committed at once (async phase two)");
        answerPhaseTwo(rm, BranchStatus.PhaseTwo_Committed);

        assertEquals(ResultCode.Success, register(rm, x2, BranchType.AT, "jdbc:db1", "t:2,3").resultCode());
        int q2 = rm.request(new GlobalLockQueryRequest(x1, BranchType.AT, "jdbc:db1", "t:1", null));
        assertTrue(answer(rm, q2, GlobalLockQueryResponse.class).lockable());
    }

    @Test
    void globalTimeoutRollsBackThroughTheLeader() throws Exception {
        int leader = cluster.leaderIndex();
        RawClient tm = client(leader);
        tm.registerTm("orders", "2.5.0");
        RawClient rm = client(leader);
        rm.registerRm("stock", "2.5.0", "a");
        int id = tm.request(new GlobalBeginRequest(300, "short"));
        String xid = answer(tm, id, GlobalBeginResponse.class).xid();
        register(rm, xid, BranchType.TCC, "a", null);

        BranchEndRequest rollback = answerPhaseTwo(rm, BranchStatus.PhaseTwo_Rollbacked);
        assertFalse(rollback.commit());
        assertEquals(xid, rollback.xid());
        await().atMost(Duration.ofSeconds(10)).until(() ->
                cluster.node(leader).stateMachine().view().ended(xid).map(e -> e.finalStatus()).orElse(null)
                        == GlobalStatus.TimeoutRollbacked);
        int c = tm.request(new GlobalEndRequest(GlobalEndRequest.Kind.COMMIT, xid, null));
        assertEquals(GlobalStatus.TimeoutRollbacked, answer(tm, c, GlobalEndResponse.class).globalStatus(),
                "a late commit learns the transaction timed out");
    }

    @Test
    void newLeaderCarriesOnAnUndeliveredCommit() throws Exception {
        int leader = cluster.leaderIndex();
        int follower = cluster.followerIndex();
        RawClient tm = client(follower);
        tm.registerTm("orders", "2.5.0");
        // The RM is connected to every node, as Seata's raft-registry client is.
        List<RawClient> rms = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RawClient rm = client(i);
            rm.registerRm("stock", "2.5.0", "a");
            rms.add(rm);
        }
        String xid = begin(tm);
        int regId = rms.get(follower).request(new BranchRegisterRequest(xid, BranchType.TCC, "a", null, null));
        assertEquals(ResultCode.Success, answer(rms.get(follower), regId, BranchRegisterResponse.class).resultCode());

        int c = tm.request(new GlobalEndRequest(GlobalEndRequest.Kind.COMMIT, xid, null));
        // The leader sends BranchCommit; we never answer it, and kill that leader.
        RpcFrame unanswered = rms.get(leader).next(Duration.ofSeconds(10));
        assertInstanceOf(BranchEndRequest.class, unanswered.body());
        cluster.stop(leader);

        int newLeader = cluster.leaderIndex();
        BranchEndRequest again = answerPhaseTwo(rms.get(newLeader), BranchStatus.PhaseTwo_Committed);
        assertEquals(xid, again.xid());
        assertTrue(again.commit(), "the decision survives the leader: commit, never rollback");
        await().atMost(Duration.ofSeconds(15)).until(() ->
                cluster.node(newLeader).stateMachine().view().ended(xid).map(e -> e.finalStatus()).orElse(null)
                        == GlobalStatus.Committed);
        GlobalEndResponse r = answer(tm, c, GlobalEndResponse.class);
        assertTrue(r.globalStatus() == GlobalStatus.Committed || r.globalStatus() == GlobalStatus.Committing
                || r.globalStatus() == GlobalStatus.CommitRetrying, "TM told the commit stands: " + r);
    }
}
