package io.tessera.compat;

import static io.tessera.compat.SeataClient.AT_RESOURCE;
import static io.tessera.compat.SeataClient.TCC_RESOURCE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.coordinator.testing.ControlHttp;
import io.tessera.coordinator.testing.TestSecurity;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.seata.core.context.RootContext;
import org.apache.seata.core.model.BranchStatus;
import org.apache.seata.core.model.BranchType;
import org.apache.seata.core.model.GlobalStatus;
import org.apache.seata.rm.DefaultResourceManager;
import org.apache.seata.tm.api.GlobalTransaction;
import org.apache.seata.tm.api.GlobalTransactionContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The console API with the real seata-all client: committed, rolled back, in-progress and stuck
 * transactions (the stuck one's RM answers every rollback with a retryable failure) found through the
 * API with every filter; the stuck one's retries stopped, the leader killed, no phase two reaches the RM
 * while it stays stopped; then force-ended, its row lock released and taken by a new transaction through
 * the client; every replica agrees.
 */
@Timeout(120)
class ConsoleCompatTest extends RaftRegistryClusterTest {
    private static final String Q = "/api/v1/console/globalSession/query?pageNum=1&pageSize=10";

    private static GlobalTransaction begin(String name) throws Exception {
        GlobalTransaction tx = GlobalTransactionContext.createNew();
        tx.begin(60_000, name);
        RootContext.unbind();
        return tx;
    }

    private static long register(String xid, BranchType type, String resource, String lockKey) throws Exception {
        return DefaultResourceManager.get().branchRegister(type, resource, null, xid, null, lockKey);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static List<String> xids(ControlHttp http, String token, String filter) {
        ControlHttp.Reply r = http.get(Q + filter, token);
        assertEquals("200", r.code(), r.body());
        List<String> out = new ArrayList<>();
        r.json().get("data").forEach(n -> out.add(n.get("xid").asText()));
        return out;
    }

    @Test
    void findStopFailOverAndForceEndWithTheRealClient() throws Exception {
        GlobalTransaction committed = begin("console-commit");
        register(committed.getXid(), BranchType.TCC, TCC_RESOURCE, null);
        committed.commit();
        assertEquals(GlobalStatus.Committed, committed.getLocalStatus());
        cluster.awaitEndedEverywhere(committed.getXid(), GlobalStatus.Committed);

        GlobalTransaction rolledBack = begin("console-rollback");
        register(rolledBack.getXid(), BranchType.TCC, TCC_RESOURCE, null);
        rolledBack.rollback();
        cluster.awaitEndedEverywhere(rolledBack.getXid(), GlobalStatus.Rollbacked);

        GlobalTransaction inProgress = begin("console-open");
        register(inProgress.getXid(), BranchType.AT, AT_RESOURCE, "stock:1");

        GlobalTransaction stuck = begin("console-stuck");
        String sx = stuck.getXid();
        client.recorder.script(sx, (call, attempt) -> BranchStatus.PhaseTwo_RollbackFailed_Retryable);
        register(sx, BranchType.AT, AT_RESOURCE, "account:7");
        try {
            stuck.rollback();
        } catch (Exception retrying) {
            // The TM may report the retrying rollback as a failure; the coordinator keeps retrying.
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> client.recorder.callsFor(sx).size() >= 2);

        int follower = cluster.followerIndex();
        ControlHttp http = cluster.control(follower);
        String admin = http.token(TestSecurity.ADMIN);
        String app = "&applicationId=" + SeataClient.APP;
        assertEquals(List.of(sx, inProgress.getXid(), rolledBack.getXid(), committed.getXid()), xids(http, admin, app));
        assertEquals(List.of(committed.getXid()), xids(http, admin, app + "&status=9"));
        assertEquals(List.of(rolledBack.getXid()), xids(http, admin, app + "&status=11"));
        assertEquals(List.of(inProgress.getXid()), xids(http, admin, app + "&status=1"));
        assertEquals(List.of(sx), xids(http, admin, "&status=5&transactionName=console-stuck"));
        assertEquals(List.of(sx), xids(http, admin, "&xid=" + enc(sx)));
        assertEquals(List.of(rolledBack.getXid()), xids(http, admin, "&transactionName=console-rollback"));
        long now = System.currentTimeMillis();
        assertEquals(4, xids(http, admin, app + "&timeStart=" + (now - 120_000) + "&timeEnd=" + now).size());
        JsonNode withBranch = http.get(Q + "&withBranch=true&xid=" + enc(sx), admin).json().get("data").get(0);
        assertEquals(AT_RESOURCE, withBranch.get("branchSessionVOs").get(0).get("resourceId").asText());
        assertEquals(SeataClient.GROUP, withBranch.get("transactionServiceGroup").asText());

        ControlHttp.Reply stop = http.put("/api/v1/console/globalSession/stopGlobalSession?xid=" + enc(sx), admin, null, null);
        assertEquals("200", stop.code(), stop.body());
        int leader = cluster.leaderIndex();
        cluster.stop(leader);
        int newLeader = cluster.leaderIndex();
        ControlHttp onLeader = cluster.control(newLeader);
        String admin2 = onLeader.token(TestSecurity.ADMIN);
        int calls = client.recorder.callsFor(sx).size();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(6)).until(() ->
                client.recorder.callsFor(sx).size() == calls
                        && xids(onLeader, admin2, "&status=20").equals(List.of(sx)));

        ControlHttp.Reply delete = onLeader.delete("/api/v1/console/globalSession/forceDeleteGlobalSession?xid=" + enc(sx),
                admin2);
        assertEquals("200", delete.code(), delete.body());
        assertEquals(0, onLeader.get("/api/v1/console/globalLock/query?pageNum=1&pageSize=10&tableName=account", admin2)
                .json().get("total").asInt());
        GlobalTransaction next = begin("console-next");
        register(next.getXid(), BranchType.AT, AT_RESOURCE, "account:7");
        next.commit();
        assertEquals(GlobalStatus.Committed, next.getLocalStatus());

        cluster.start(leader);
        cluster.awaitSameState();
    }
}
