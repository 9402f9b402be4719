package io.tessera.coordinator.control;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.coordinator.cluster.InMemoryClusterView;
import io.tessera.coordinator.config.MemberSpec;
import io.tessera.coordinator.config.NodeConfig.ControlLimits;
import io.tessera.coordinator.testing.ControlHttp;
import io.tessera.coordinator.testing.TestSecurity;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ControlServerTest {
    private static final List<MemberSpec> MEMBERS = List.of(
            new MemberSpec("node1", "127.0.0.1", 7091, 8091, 9091),
            new MemberSpec("node2", "127.0.0.1", 7092, 8092, 9092),
            new MemberSpec("node3", "127.0.0.1", 7093, 8093, 9093));

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final InMemoryClusterView view = new InMemoryClusterView("node1", "default", MEMBERS);
    private final LocalAuthState auth = new LocalAuthState(true);
    private ControlServer server;
    private String clientToken;

    private ControlServer start() {
        return start(auth, ControlLimits.defaults());
    }

    private ControlServer start(AuthState state, ControlLimits limits) {
        server = new ControlServer(new ControlServer.Settings("node1", "127.0.0.1", 0, "2.5.0", TestSecurity.CLIENT,
                TestSecurity.ADMIN, limits), view, state, () -> Map.of("tmConnections", 3, "rmConnections", 2));
        server.start();
        return server;
    }

    private ControlHttp control() {
        return new ControlHttp("127.0.0.1", server.port());
    }

    /** A client-role token (what Seata clients carry), logged in once per test. */
    private String token() {
        if (clientToken == null) {
            clientToken = control().token(TestSecurity.CLIENT);
        }
        return clientToken;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    private HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
        if (token != null) {
            b.header("Authorization", token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest watchRequest(String token, String form) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri("/metadata/v1/watch"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (token != null) {
            b.header("Authorization", token);
        }
        return b.build();
    }

    private HttpResponse<String> login(String user, String password) throws IOException, InterruptedException {
        String body = mapper.writeValueAsString(Map.of("username", user, "password", password));
        return http.send(HttpRequest.newBuilder(uri("/api/v1/auth/login")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthReportsTheView() throws Exception {
        start();
        JsonNode h = mapper.readTree(get("/health", null).body());
        assertEquals("ok", h.get("status").asText());
        assertEquals("node1", h.get("nodeId").asText());
        assertEquals("UNKNOWN", h.get("role").asText());
        assertEquals(0, h.get("term").asLong());
        assertTrue(h.get("leader").isNull());
        assertEquals(3, h.get("tmConnections").asInt());

        view.update(4, "node1");
        view.setLastAppliedIndex(17);
        h = mapper.readTree(get("/health", null).body());
        assertEquals("LEADER", h.get("role").asText());
        assertEquals(4, h.get("term").asLong());
        assertEquals("node1", h.get("leader").asText());
        assertEquals(17, h.get("lastAppliedIndex").asLong());
        assertEquals(3, h.get("members").size());
        assertEquals(404, get("/nothing", null).statusCode());
    }

    @Test
    void metadataIsEmptyUntilALeaderIsKnownThenExact() throws Exception {
        start();
        HttpResponse<String> before = get("/metadata/v1/cluster?group=", token());
        assertEquals(200, before.statusCode());
        assertEquals("{\"nodes\":[],\"storeMode\":\"raft\",\"term\":0}", before.body());

        view.update(2, "node2");
        JsonNode m = mapper.readTree(get("/metadata/v1/cluster?group=default", token()).body());
        assertEquals(List.of("nodes", "storeMode", "term"), names(m));
        assertEquals(2, m.get("term").asLong());
        assertEquals("raft", m.get("storeMode").asText());
        JsonNode n2 = m.get("nodes").get(1);
        // Exactly the fields io.seata 2.0.0's Node binds (it refuses unknown ones); see MetadataRoute.
        assertEquals(List.of("control", "transaction", "group", "role", "metadata"), names(n2));
        assertEquals("LEADER", n2.get("role").asText());
        assertEquals("FOLLOWER", m.get("nodes").get(0).get("role").asText());
        assertEquals(List.of("host", "port"), names(n2.get("control")));
        assertEquals(7092, n2.get("control").get("port").asInt());
        assertEquals(8092, n2.get("transaction").get("port").asInt());
        assertEquals("127.0.0.1", n2.get("transaction").get("host").asText());
        assertEquals("default", n2.get("group").asText());
        assertEquals(0, n2.get("metadata").size());

        JsonNode other = mapper.readTree(get("/metadata/v1/cluster?group=elsewhere", token()).body());
        assertEquals(0, other.get("nodes").size());
    }

    @Test
    void watchAnswersAtOnceWhenTheClientIsBehind() throws Exception {
        start();
        view.update(5, "node1");
        HttpResponse<String> r = http.send(watchRequest(token(), "default=3"), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
    }

    @Test
    void watchTimesOutWith304() throws Exception {
        start();
        view.update(5, "node2");
        HttpResponse<String> r = http.send(watchRequest(token(), "default=5&timeout=200"),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(304, r.statusCode());
        // timeout as a query parameter works too
        HttpRequest q = HttpRequest.newBuilder(uri("/metadata/v1/watch?timeout=100"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", token())
                .POST(HttpRequest.BodyPublishers.ofString("default=5")).build();
        assertEquals(304, http.send(q, HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void heldWatchIsReleasedByATermChange() throws Exception {
        start();
        view.update(5, "node2");
        CompletableFuture<HttpResponse<String>> held = http.sendAsync(watchRequest(token(), "default=5&timeout=30000"),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> server.pendingWatches() == 1);
        assertFalse(held.isDone());

        view.update(6, "node2");
        assertEquals(200, held.get(5, java.util.concurrent.TimeUnit.SECONDS).statusCode());
        assertEquals(0, server.pendingWatches());
    }

    @Test
    void heldWatchIsReleasedWhenALeaderBecomesKnownInTheSameTerm() throws Exception {
        start();
        view.update(7, null);
        CompletableFuture<HttpResponse<String>> held = http.sendAsync(watchRequest(token(), "default=7&timeout=30000"),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> server.pendingWatches() == 1);
        view.update(7, "node3");
        assertEquals(200, held.get(5, java.util.concurrent.TimeUnit.SECONDS).statusCode());
    }

    @Test
    void watchIsHeldWhileNoLeaderIsKnownEvenIfTheTermIsNewer() throws Exception {
        start();
        view.update(5, null);
        CompletableFuture<HttpResponse<String>> held = http.sendAsync(watchRequest(token(), "default=3&timeout=30000"),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> server.pendingWatches() == 1);

        view.update(6, null);              // an election round: nothing new a client could read
        assertEquals(1, server.pendingWatches());
        assertFalse(held.isDone());

        view.update(6, "node2");           // the new leader is known: release
        assertEquals(200, held.get(5, java.util.concurrent.TimeUnit.SECONDS).statusCode());
    }

    @Test
    void aFollowerHoldsACurrentWatchPastTheLeadersShortHold() throws Exception {
        start();
        view.update(5, "node2");
        CompletableFuture<HttpResponse<String>> held = http.sendAsync(watchRequest(token(), "default=5&timeout=30000"),
                HttpResponse.BodyHandlers.ofString());
        await().during(Duration.ofMillis(3 * WatchRoute.LEADER_HOLD_MS)).atMost(Duration.ofSeconds(5))
                .until(() -> !held.isDone());
        assertEquals(1, server.pendingWatches());
    }

    @Test
    void theLeaderAnswersACurrentWatch304AfterAShortHold() throws Exception {
        start();
        token();
        view.update(5, "node1");
        long start = System.nanoTime();
        HttpResponse<String> r = http.send(watchRequest(token(), "default=5&timeout=30000"),
                HttpResponse.BodyHandlers.ofString());
        long tookMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertEquals(304, r.statusCode());
        // Not at once (a client that knows only the leader must not spin), and nowhere near the client's timeout.
        assertTrue(tookMs >= WatchRoute.LEADER_HOLD_MS && tookMs < 10 * WatchRoute.LEADER_HOLD_MS, tookMs + " ms");
        assertEquals(0, server.pendingWatches());

        // A newer term still answers 200 at once, and a shorter client timeout wins over the hold.
        assertEquals(200, http.send(watchRequest(token(), "default=4&timeout=30000"),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        start = System.nanoTime();
        assertEquals(304, http.send(watchRequest(token(), "default=5&timeout=50"),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < WatchRoute.LEADER_HOLD_MS);
    }

    @Test
    void aWatchHeldByAFollowerThatBecomesLeaderIsReleasedWith200() throws Exception {
        start();
        view.update(5, "node2");
        CompletableFuture<HttpResponse<String>> held = http.sendAsync(watchRequest(token(), "default=5&timeout=30000"),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> server.pendingWatches() == 1);
        view.update(6, "node1");
        assertEquals(200, held.get(5, java.util.concurrent.TimeUnit.SECONDS).statusCode());
    }

    @Test
    void eachRouteNeedsItsRoleAndAnAdminTokenCoversClientRoutes() throws Exception {
        start();
        view.update(1, "node1");
        ControlHttp c = control();
        String admin = c.token(TestSecurity.ADMIN);

        ControlHttp.Reply none = c.get("/metadata/v1/cluster?group=default", null);
        assertEquals(401, none.status());
        assertEquals("401", none.code());
        assertTrue(none.json().get("message").asText().contains("log in"), none.body());
        assertEquals(401, c.get("/metadata/v1/cluster?group=default", "Bearer forged.x").status());
        assertEquals(401, c.post("/metadata/v1/watch", null, "application/x-www-form-urlencoded", "default=0").status());

        assertEquals(200, c.get("/metadata/v1/cluster?group=default", token()).status());
        assertEquals(200, c.get("/metadata/v1/cluster?group=default", admin).status(), "admin covers client routes");

        ControlHttp.Reply forbidden = c.post(RotateKeyRoute.PATH, token(), null, null);
        assertEquals(403, forbidden.status());
        assertEquals("403", forbidden.code());
        assertTrue(forbidden.json().get("message").asText().contains("needs the admin role"), forbidden.body());
        assertEquals(403, c.put(CredentialsRoute.PATH, token(), "application/json", "{}").status());
        assertEquals(401, c.post(RotateKeyRoute.PATH, null, null, null).status());

        // Health stays open for probes and scripts.
        assertEquals(200, c.get("/health", null).status());
    }

    @Test
    void loginAnswersInSeatasShape() throws Exception {
        start();
        JsonNode ok = mapper.readTree(login(TestSecurity.CLIENT.username(), TestSecurity.CLIENT.password()).body());
        assertEquals(List.of("code", "message", "data", "success"), names(ok));
        assertEquals("200", ok.get("code").asText());
        assertEquals("success", ok.get("message").asText());
        assertTrue(ok.get("success").asBoolean());
        assertTrue(ok.get("data").asText().startsWith("Bearer "));

        HttpResponse<String> wrong = login(TestSecurity.CLIENT.username(), "wrong-password");
        assertEquals(200, wrong.statusCode(), "Seata's client reads the code field");
        JsonNode refused = mapper.readTree(wrong.body());
        assertEquals("401", refused.get("code").asText());
        assertFalse(refused.get("success").asBoolean());
        assertFalse(refused.has("data"));
        // The admin's password does not open the client user, nor the other way round.
        assertEquals("401", mapper.readTree(login(TestSecurity.CLIENT.username(), TestSecurity.ADMIN.password()).body())
                .get("code").asText());
    }

    @Test
    void routesMustDeclareARoleExceptHealthAndLogin() {
        ControlRouter router = new ControlRouter(new TokenAuthority(auth, System::currentTimeMillis), mapper);
        ControlRoute nothing = (ctx, request, keepAlive, caller) -> { };
        assertThrows(IllegalArgumentException.class,
                () -> router.open(io.netty.handler.codec.http.HttpMethod.POST, "/admin/v1/backup", nothing));
        assertThrows(IllegalArgumentException.class,
                () -> router.open(io.netty.handler.codec.http.HttpMethod.GET, "/healthz-but-not", nothing));
        router.open(io.netty.handler.codec.http.HttpMethod.GET, "/health/ready", nothing);
        router.add(io.netty.handler.codec.http.HttpMethod.GET, "/x", io.tessera.raft.tx.ControlRole.ADMIN, nothing);
        assertThrows(IllegalArgumentException.class, () -> router.add(io.netty.handler.codec.http.HttpMethod.GET, "/x",
                io.tessera.raft.tx.ControlRole.CLIENT, nothing), "one role per route");
    }

    @Test
    void healthIs503WithTheReasonWhileTheStateMachineIsHalted() throws Exception {
        start();
        view.update(3, "node2");
        view.setHaltReason("apply halted at entry 42: write of batch up to index 42 failed: No space left on device");
        HttpResponse<String> r = get("/health", null);
        assertEquals(503, r.statusCode());
        JsonNode h = mapper.readTree(r.body());
        assertEquals("halted", h.get("status").asText());
        String reason = h.get("reason").asText();
        assertTrue(reason.contains("No space left on device"), reason);
        assertTrue(reason.contains("restart this node once the cause (e.g. disk full) is fixed"), reason);
        // The body keeps its fields (scripts/cluster.sh reads role, term, leader).
        assertEquals("FOLLOWER", h.get("role").asText());
        assertEquals(3, h.get("term").asLong());
        assertEquals("node2", h.get("leader").asText());
        assertEquals(3, h.get("members").size());

        view.setHaltReason(null);
        HttpResponse<String> fine = get("/health", null);
        assertEquals(200, fine.statusCode());
        JsonNode f = mapper.readTree(fine.body());
        assertEquals("ok", f.get("status").asText());
        assertFalse(f.has("reason"));
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
