package io.tessera.coordinator.console;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.message.ResultCode;
import io.tessera.codec.message.TransactionExceptionCode;
import io.tessera.coordinator.tc.TcOptions;
import io.tessera.coordinator.testing.ControlHttp;
import io.tessera.coordinator.testing.LocalCluster;
import io.tessera.coordinator.testing.RawClient;
import io.tessera.coordinator.testing.TestSecurity;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console API on a real 3-node cluster (jraft, RocksDB, Netty) with clients on the Seata wire
 * protocol: a committed, a rolled back, an in-progress and a stuck transaction (its RM answers the
 * rollback with a failure and disappears), found through the API with every filter on a follower; the
 * stuck one's retries stopped from a follower, a leader change, still stopped and never retried (an RM
 * for its resource is connected again and hears nothing); then forced to an end, its row lock released
 * and taken by a new transaction; every replica agrees.
 */
@Timeout(180)
class ConsoleClusterTest {
    private static final String Q = "/api/v1/console/globalSession/query";

    @TempDir
    Path dir;

    private LocalCluster cluster;
    private final List<RawClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        TcOptions fast = new TcOptions(4_000, 2_000, 200, 500, 60_000, 60_000);
        cluster = new LocalCluster(dir, 3, fast).start();
        cluster.awaitTokenKey();
    }

    @AfterEach
    void stop() {
        clients.forEach(RawClient::close);
        cluster.close();
    }

    @Test
    void findStopFailOverAndForceEndAStuckTransaction() throws Exception {
        int leader = cluster.leaderIndex();
        RawClient tm = client(leader);
        tm.registerTm("orders", "2.5.0");
        RawClient rm = client(leader);
        rm.registerRm("stock", "2.5.0", "tcc-stock,jdbc:stock");

        long before = System.currentTimeMillis();
        String committed = begin(tm, "place-order");
        register(rm, committed, BranchType.TCC, "tcc-stock", null);
        int c = tm.request(new GlobalEndRequest(GlobalEndRequest.Kind.COMMIT, committed, null));
        answerPhaseTwo(rm, BranchStatus.PhaseTwo_Committed);
        assertEquals(GlobalStatus.Committed, answer(tm, c, GlobalEndResponse.class).globalStatus());

        String rolledBack = begin(tm, "place-order");
        register(rm, rolledBack, BranchType.TCC, "tcc-stock", null);
        int r = tm.request(new GlobalEndRequest(GlobalEndRequest.Kind.ROLLBACK, rolledBack, null));
        answerPhaseTwo(rm, BranchStatus.PhaseTwo_Rollbacked);
        assertEquals(GlobalStatus.Rollbacked, answer(tm, r, GlobalEndResponse.class).globalStatus());

        String inProgress = begin(tm, "reserve");
        register(rm, inProgress, BranchType.AT, "jdbc:stock", "stock:1");

        // The stuck one: its AT branch's RM fails the rollback, then is gone for good.
        RawClient doomed = client(leader);
        doomed.registerRm("payments", "2.5.0", "jdbc:pay");
        String stuck = begin(tm, "pay");
        long stuckBranch = register(doomed, stuck, BranchType.AT, "jdbc:pay", "account:7").branchId();
        int s = tm.request(new GlobalEndRequest(GlobalEndRequest.Kind.ROLLBACK, stuck, null));
        answerPhaseTwo(doomed, BranchStatus.PhaseTwo_RollbackFailed_Retryable);
        assertEquals(GlobalStatus.RollbackRetrying, answer(tm, s, GlobalEndResponse.class).globalStatus());
        doomed.close();
        long after = System.currentTimeMillis();

        int follower = cluster.followerIndex();
        ControlHttp http = cluster.control(follower);
        String admin = http.token(TestSecurity.ADMIN);

        // Every filter, on a follower (linearizable: the read barrier sees everything committed).
        assertEquals(List.of(stuck, inProgress, rolledBack, committed), xids(http, admin, "pageNum=1&pageSize=10"));
        assertEquals(List.of(committed), xids(http, admin, "pageNum=1&pageSize=10&status=9"));
        assertEquals(List.of(rolledBack), xids(http, admin, "pageNum=1&pageSize=10&status=11"));
        assertEquals(List.of(inProgress), xids(http, admin, "pageNum=1&pageSize=10&status=1"));
        assertEquals(List.of(stuck), xids(http, admin, "pageNum=1&pageSize=10&status=5"));
        assertEquals(List.of(rolledBack, committed), xids(http, admin, "pageNum=1&pageSize=10&transactionName=place-order"));
        assertEquals(List.of(stuck, inProgress, rolledBack, committed),
                xids(http, admin, "pageNum=1&pageSize=10&applicationId=orders"));
        assertEquals(List.of(), xids(http, admin, "pageNum=1&pageSize=10&applicationId=nobody"));
        assertEquals(List.of(stuck), xids(http, admin, "pageNum=1&pageSize=10&xid=" + enc(stuck)));
        assertEquals(List.of(stuck, inProgress, rolledBack, committed), xids(http, admin,
                "pageNum=1&pageSize=10&timeStart=" + (before / 1000 * 1000) + "&timeEnd=" + after));
        assertEquals(List.of(), xids(http, admin, "pageNum=1&pageSize=10&timeEnd=" + (before - 60_000)));
        assertEquals(List.of(inProgress), xids(http, admin, "pageNum=2&pageSize=1"));
        assertEquals(List.of(rolledBack, committed), xids(http, admin, "pageNum=2&pageSize=2"));
        JsonNode withBranch = http.get(Q + "?pageNum=1&pageSize=10&withBranch=true&xid=" + enc(stuck), admin).json();
        JsonNode branch = withBranch.get("data").get(0).get("branchSessionVOs").get(0);
        assertEquals(String.valueOf(stuckBranch), branch.get("branchId").asText());
        assertEquals("jdbc:pay", branch.get("resourceId").asText());
        assertTrue(http.get(Q + "?pageNum=1&pageSize=10&xid=" + enc(stuck), admin).json().get("data").get(0)
                .get("branchSessionVOs").isNull(), "branches only withBranch=true");
        JsonNode locks = http.get("/api/v1/console/globalLock/query?pageNum=1&pageSize=10&tableName=account", admin).json();
        assertEquals(1, locks.get("total").asInt());
        assertEquals(stuck, locks.get("data").get(0).get("xid").asText());
        assertEquals("7", locks.get("data").get(0).get("pk").asText());

        // Stop its retries from a follower; the leader then changes.
        assertOk(http.put("/api/v1/console/globalSession/stopGlobalSession?xid=" + enc(stuck), admin, null, null));
        assertEquals(List.of(stuck), xids(http, admin, "pageNum=1&pageSize=10&status=20"));
        cluster.stop(leader);
        int newLeader = cluster.leaderIndex();
        assertTrue(newLeader != leader);
        // An RM for its resource is back, on the new leader: a retry would reach it; none comes.
        RawClient back = client(newLeader);
        back.registerRm("payments", "2.5.0", "jdbc:pay");
        ControlHttp onLeader = cluster.control(newLeader);
        String admin2 = onLeader.token(TestSecurity.ADMIN);
        await().during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(5)).until(() ->
                back.poll(Duration.ofMillis(100)).isEmpty()
                        && xids(onLeader, admin2, "pageNum=1&pageSize=10&status=20").equals(List.of(stuck)));

        // Force it to an end: its lock goes, a new transaction takes the row.
        assertOk(onLeader.delete("/api/v1/console/globalSession/forceDeleteGlobalSession?xid=" + enc(stuck), admin2));
        JsonNode ended = onLeader.get(Q + "?pageNum=1&pageSize=10&xid=" + enc(stuck), admin2).json().get("data").get(0);
        assertEquals(GlobalStatus.Finished.code(), ended.get("status").asInt());
        assertTrue(ended.get("lastActionBy").asText().contains("tessera-admin"), ended.toString());
        assertEquals(0, onLeader.get("/api/v1/console/globalLock/query?pageNum=1&pageSize=10&xid=" + enc(stuck), admin2)
                .json().get("total").asInt());
        RawClient tm2 = client(newLeader);
        tm2.registerTm("orders", "2.5.0");
        String next = begin(tm2, "pay");
        BranchRegisterResponse took = register(back, next, BranchType.AT, "jdbc:pay", "account:7");
        assertEquals(ResultCode.Success, took.resultCode(), took.msg());

        cluster.start(leader);
        cluster.awaitSameState();
        Set<String> digests = new HashSet<>();
        for (int i = 0; i < cluster.size(); i++) {
            ControlHttp h = cluster.control(i);
            digests.add(h.get("/admin/v1/state-digest", h.token(TestSecurity.ADMIN)).json().get("digest").asText());
        }
        assertEquals(1, digests.size(), "every replica holds the same state");
    }

    private static void assertOk(ControlHttp.Reply reply) {
        assertEquals(200, reply.status(), reply.body());
        assertEquals("200", reply.code(), reply.body());
    }

    private static List<String> xids(ControlHttp http, String token, String query) {
        ControlHttp.Reply reply = http.get(Q + "?" + query, token);
        assertEquals("200", reply.code(), reply.body());
        List<String> out = new ArrayList<>();
        reply.json().get("data").forEach(n -> out.add(n.get("xid").asText()));
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
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

    private static String begin(RawClient tm, String name) {
        int id = tm.request(new GlobalBeginRequest(60_000, name));
        GlobalBeginResponse r = answer(tm, id, GlobalBeginResponse.class);
        assertEquals(ResultCode.Success, r.resultCode(), r.msg());
        return r.xid();
    }

    private static BranchRegisterResponse register(RawClient rm, String xid, BranchType type, String resource,
            String lockKey) {
        int id = rm.request(new BranchRegisterRequest(xid, type, resource, lockKey, null));
        BranchRegisterResponse r = answer(rm, id, BranchRegisterResponse.class);
        assertFalse(r.resultCode() == ResultCode.Failed && lockKey == null, r.msg());
        return r;
    }

    private static void answerPhaseTwo(RawClient rm, BranchStatus status) {
        RpcFrame f = rm.next(Duration.ofSeconds(10));
        BranchEndRequest req = assertInstanceOf(BranchEndRequest.class, f.body());
        rm.send(RpcFrame.response(f.requestId(), RpcFrame.CODEC_SEATA, new BranchEndResponse(req.commit(),
                ResultCode.Success, null, TransactionExceptionCode.Unknown, req.xid(), req.branchId(), status)));
    }
}
