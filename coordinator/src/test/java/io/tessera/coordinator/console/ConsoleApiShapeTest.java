package io.tessera.coordinator.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.codec.RpcFrame;
import io.tessera.codec.message.BranchRegisterRequest;
import io.tessera.codec.message.BranchRegisterResponse;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalBeginRequest;
import io.tessera.codec.message.GlobalBeginResponse;
import io.tessera.codec.message.ResultCode;
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
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every console endpoint called as Seata 2.5's console front end calls it (console-fe/src/service/*.ts:
 * the same methods, query strings and headers, namespace/cluster/vgroup included), its answer checked
 * field by field against Seata's Result/SingleResult/PageResult and VOs (fact sheet:
 * docs/console-api.md).
 */
@Timeout(120)
class ConsoleApiShapeTest {
    private static final String BASE = "/api/v1/console";

    @TempDir
    Path dir;

    private LocalCluster cluster;
    private RawClient tm;
    private RawClient rm;
    private ControlHttp http;
    private String token;
    private Map<String, String> feHeaders;

    @BeforeEach
    void start() throws Exception {
        cluster = new LocalCluster(dir, 1, new TcOptions(4_000, 2_000, 200, 500, 60_000, 60_000)).start();
        cluster.awaitTokenKey();
        int n = cluster.leaderIndex();
        tm = new RawClient(cluster.transactionPort(n));
        tm.registerTm("orders", "2.5.0");
        rm = new RawClient(cluster.transactionPort(n));
        rm.registerRm("orders", "2.5.0", "jdbc:orders");
        http = cluster.control(n);
        token = http.token(TestSecurity.ADMIN);
        feHeaders = Map.of("x-seata-namespace", "public", "x-seata-cluster", "default", "Accept",
                "application/json, text/plain, */*");
    }

    @AfterEach
    void stop() {
        tm.close();
        rm.close();
        cluster.close();
    }

    private JsonNode call(String method, String pathAndQuery) {
        ControlHttp.Reply r = http.call(method, pathAndQuery, token, feHeaders);
        assertEquals(200, r.status(), r.body());
        assertTrue(r.headers().entrySet().stream().anyMatch(e -> e.getKey().equalsIgnoreCase("content-type")
                && e.getValue().startsWith("application/json")), r.headers().toString());
        return r.json();
    }

    private static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    private static void assertSingle(JsonNode n, String code, boolean success) {
        assertEquals(List.of("code", "message", "data", "success"), names(n), n.toString());
        assertTrue(n.get("code").isTextual(), "code is a JSON string");
        assertEquals(code, n.get("code").asText(), n.toString());
        assertEquals(success, n.get("success").asBoolean());
        if (success) {
            assertEquals("success", n.get("message").asText());
        }
    }

    private static void assertPage(JsonNode n, long total, int pageNum, int pageSize, int rows) {
        assertEquals(List.of("code", "message", "data", "total", "pages", "pageNum", "pageSize", "currPage", "success"),
                names(n), n.toString());
        assertEquals("200", n.get("code").asText());
        assertEquals("success", n.get("message").asText());
        assertTrue(n.get("success").asBoolean());
        assertTrue(n.get("data").isArray());
        assertEquals(rows, n.get("data").size());
        assertEquals(total, n.get("total").asLong());
        assertEquals((total + pageSize - 1) / pageSize, n.get("pages").asLong());
        assertEquals(pageNum, n.get("pageNum").asInt());
        assertEquals(pageSize, n.get("pageSize").asInt());
        assertEquals(pageNum, n.get("currPage").asInt());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private String begin() {
        int id = tm.request(new GlobalBeginRequest(60_000, "create-order"));
        GlobalBeginResponse r = (GlobalBeginResponse) tm.next(Duration.ofSeconds(10)).body();
        assertEquals(ResultCode.Success, r.resultCode());
        return r.xid();
    }

    private long register(String xid, String lockKey) {
        rm.request(new BranchRegisterRequest(xid, BranchType.AT, "jdbc:orders", lockKey, "{\"autoCommit\":true}"));
        RpcFrame f = rm.next(Duration.ofSeconds(10));
        BranchRegisterResponse r = (BranchRegisterResponse) f.body();
        assertEquals(ResultCode.Success, r.resultCode(), r.msg());
        return r.branchId();
    }

    @Test
    void everyEndpointAnswersSeatasShapes() {
        String xid = begin();
        long branchId = register(xid, "order_tbl:11,12");

        // globalSession/query as the transaction page sends it.
        JsonNode page = call("GET", BASE + "/globalSession/query?withBranch=true&pageSize=10&pageNum=1"
                + "&namespace=public&cluster=default&vgroup=default_tx_group&xid=" + enc(xid)
                + "&applicationId=orders&status=1&transactionName=create-order&timeStart="
                + (System.currentTimeMillis() / 1000 * 1000 - 60_000) + "&timeEnd=" + (System.currentTimeMillis() + 60_000));
        assertPage(page, 1, 1, 10, 1);
        JsonNode g = page.get("data").get(0);
        assertEquals(List.of("xid", "transactionId", "status", "applicationId", "transactionServiceGroup",
                "transactionName", "timeout", "beginTime", "applicationData", "gmtCreate", "gmtModified",
                "branchSessionVOs", "live", "endTime", "lastActionBy", "lastActionTime"), names(g));
        assertEquals(xid, g.get("xid").asText());
        assertTrue(g.get("transactionId").isTextual(), "transactionId is a string");
        assertTrue(xid.endsWith(":" + g.get("transactionId").asText()));
        assertEquals(1, g.get("status").asInt());
        assertTrue(g.get("status").isInt());
        assertEquals("orders", g.get("applicationId").asText());
        assertEquals("create-order", g.get("transactionName").asText());
        assertEquals(60_000, g.get("timeout").asLong());
        assertTrue(g.get("beginTime").isNumber());
        assertTrue(g.get("applicationData").isNull());
        assertTrue(g.get("gmtCreate").isNull());
        assertTrue(g.get("gmtModified").isNull());
        JsonNode b = g.get("branchSessionVOs").get(0);
        assertEquals(List.of("xid", "transactionId", "branchId", "resourceGroupId", "resourceId", "branchType", "status",
                "clientId", "applicationData", "gmtCreate", "gmtModified", "lockKey"), names(b));
        assertEquals(xid, b.get("xid").asText());
        assertEquals(String.valueOf(branchId), b.get("branchId").asText());
        assertTrue(b.get("branchId").isTextual());
        assertEquals("jdbc:orders", b.get("resourceId").asText());
        assertEquals("AT", b.get("branchType").asText());
        assertEquals(1, b.get("status").asInt());
        assertTrue(b.get("clientId").asText().startsWith("orders:"));
        assertEquals("{\"autoCommit\":true}", b.get("applicationData").asText());

        // globalLock/query as the lock page sends it.
        JsonNode locks = call("GET", BASE + "/globalLock/query?pageSize=10&pageNum=1&namespace=public&cluster=default"
                + "&vgroup=&xid=" + enc(xid) + "&tableName=order_tbl&transactionId=&branchId=" + branchId
                + "&pk=&resourceId=jdbc:orders&timeStart=&timeEnd=");
        assertPage(locks, 2, 1, 10, 2);
        JsonNode l = locks.get("data").get(0);
        assertEquals(List.of("xid", "transactionId", "branchId", "resourceId", "tableName", "pk", "rowKey", "vgroup",
                "gmtCreate", "gmtModified"), names(l));
        assertEquals(xid, l.get("xid").asText());
        assertEquals(String.valueOf(branchId), l.get("branchId").asText());
        assertEquals("order_tbl", l.get("tableName").asText());
        assertEquals("11", l.get("pk").asText());
        assertEquals("jdbc:orders^^^order_tbl^^^11", l.get("rowKey").asText());

        // globalLock/check: true for the branch, false (not an error) for anything else.
        JsonNode check = call("GET", BASE + "/globalLock/check?xid=" + enc(xid) + "&branchId=" + branchId + "&vgroup=");
        assertSingle(check, "200", true);
        assertTrue(check.get("data").asBoolean());
        assertFalse(call("GET", BASE + "/globalLock/check?xid=" + enc(xid) + "&branchId=abc").get("data").asBoolean());

        // Refusals: HTTP 200, code "500", Seata's message.
        JsonNode refused = call("PUT", BASE + "/globalSession/stopGlobalSession?xid=" + enc(xid) + "&vgroup=");
        assertSingle(refused, "500", false);
        assertTrue(refused.get("message").asText().startsWith("current global transaction status is not support stop"));
        assertEquals("Wrong parameter for xid",
                call("PUT", BASE + "/globalSession/startGlobalSession?vgroup=").get("message").asText());
        assertEquals("Wrong parameter for branchId, branch Id is not number",
                call("PUT", BASE + "/branchSession/stopBranchSession?xid=" + enc(xid) + "&branchId=x").get("message").asText());
        assertEquals("pageNum range not in [1-999]",
                call("GET", BASE + "/globalSession/query?pageNum=0&pageSize=10").get("message").asText());
        assertEquals("tableName or resourceId or pk can not be empty", call("DELETE", BASE
                + "/globalLock/delete?xid=" + enc(xid) + "&branchId=" + branchId).get("message").asText());
        assertSingle(call("DELETE", BASE + "/globalSession/deleteGlobalSession?xid=" + enc(xid)), "500", false);
        assertSingle(call("DELETE", BASE + "/branchSession/deleteBranchSession?xid=" + enc(xid) + "&branchId="
                + branchId), "500", false);
        assertSingle(call("PUT", BASE + "/globalSession/sendCommitOrRollback?xid=" + enc(xid)), "500", false);
        assertSingle(call("PUT", BASE + "/globalSession/changeGlobalStatus?xid=" + enc(xid)), "500", false);
        assertSingle(call("PUT", BASE + "/branchSession/startBranchSession?xid=" + enc(xid) + "&branchId=" + branchId),
                "500", false);

        // Successful actions: SingleResult with data null. The lock delete sends the whole row, as the page does.
        assertSingle(call("DELETE", BASE + "/globalLock/delete?xid=" + enc(xid) + "&transactionId="
                + l.get("transactionId").asText() + "&branchId=" + branchId + "&resourceId=jdbc:orders&tableName=order_tbl"
                + "&pk=11&rowKey=" + enc("jdbc:orders^^^order_tbl^^^11") + "&vgroup=default_tx_group"
                + "&gmtCreate=" + enc("2025-07-01 10:00:00") + "&gmtModified=" + enc("2025-07-01 10:00:00")
                + "&namespace=public&cluster=default"), "200", true);
        assertPage(call("GET", BASE + "/globalLock/query?pageSize=10&pageNum=1&xid=" + enc(xid)), 0, 1, 10, 0);
        assertSingle(call("DELETE", BASE + "/branchSession/forceDeleteBranchSession?xid=" + enc(xid) + "&branchId="
                + branchId + "&vgroup="), "200", true);
        assertSingle(call("DELETE", BASE + "/globalSession/forceDeleteGlobalSession?xid=" + enc(xid) + "&vgroup="),
                "200", true);
        JsonNode ended = call("GET", BASE + "/globalSession/query?pageSize=10&pageNum=1&withBranch=true&xid=" + enc(xid));
        assertEquals(15, ended.get("data").get(0).get("status").asInt(), "force deleted: Finished");
        assertEquals(0, ended.get("data").get(0).get("branchSessionVOs").size());

        // Overview: SingleResult with a list of {name, id, count}.
        JsonNode overview = call("GET", "/api/v1/overview/getData");
        assertSingle(overview, "200", true);
        JsonNode first = overview.get("data").get(0);
        assertEquals(List.of("name", "id", "count"), names(first));
        assertEquals("Finished", first.get("name").asText());
        assertEquals(15, first.get("id").asInt());
        assertEquals(1, first.get("count").asInt());

        // Without the admin role: 401, as every closed route.
        assertEquals(401, http.call("GET", BASE + "/globalSession/query?pageNum=1&pageSize=10", null, feHeaders).status());
    }
}
