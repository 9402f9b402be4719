package io.tessera.coordinator.control;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.coordinator.cluster.InMemoryClusterView;
import io.tessera.coordinator.config.MemberSpec;
import io.tessera.coordinator.config.NodeConfig.Credentials;
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
import java.util.Optional;
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
    private ControlServer server;

    private ControlServer start(Optional<Credentials> credentials) {
        server = new ControlServer("127.0.0.1", 0, view, credentials, "2.5.0",
                () -> Map.of("tmConnections", 3, "rmConnections", 2));
        server.start();
        return server;
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

    private HttpRequest watchRequest(String form, String token) {
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
        start(Optional.empty());
        JsonNode h = mapper.readTree(get("/health", null).body());
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
        start(Optional.empty());
        HttpResponse<String> before = get("/metadata/v1/cluster?group=", null);
        assertEquals(200, before.statusCode());
        assertEquals("{\"nodes\":[],\"storeMode\":\"raft\",\"term\":0}", before.body());

        view.update(2, "node2");
        JsonNode m = mapper.readTree(get("/metadata/v1/cluster?group=default", null).body());
        assertEquals(List.of("nodes", "storeMode", "term"), names(m));
        assertEquals(2, m.get("term").asLong());
        assertEquals("raft", m.get("storeMode").asText());
        JsonNode n2 = m.get("nodes").get(1);
        assertEquals(List.of("control", "transaction", "internal", "group", "role", "version", "metadata"), names(n2));
        assertEquals("LEADER", n2.get("role").asText());
        assertEquals("FOLLOWER", m.get("nodes").get(0).get("role").asText());
        assertEquals(List.of("host", "port"), names(n2.get("control")));
        assertEquals(7092, n2.get("control").get("port").asInt());
        assertEquals(8092, n2.get("transaction").get("port").asInt());
        assertEquals(9092, n2.get("internal").get("port").asInt());
        assertEquals("127.0.0.1", n2.get("transaction").get("host").asText());
        assertEquals("default", n2.get("group").asText());
        assertEquals(0, n2.get("metadata").size());

        JsonNode other = mapper.readTree(get("/metadata/v1/cluster?group=elsewhere", null).body());
        assertEquals(0, other.get("nodes").size());
    }

    @Test
    void withCredentialsMetadataNeedsAValidToken() throws Exception {
        start(Optional.of(new Credentials("seata", "s3cret")));
        view.update(1, "node1");

        JsonNode refused = mapper.readTree(login("seata", "wrong").body());
        assertEquals("401", refused.get("code").asText());
        assertFalse(refused.get("success").asBoolean());

        assertEquals(401, get("/metadata/v1/cluster?group=default", null).statusCode());
        assertEquals(401, get("/metadata/v1/cluster?group=default", "Bearer forged").statusCode());
        assertEquals(401, http.send(watchRequest("default=0", null), HttpResponse.BodyHandlers.ofString())
                .statusCode());

        JsonNode ok = mapper.readTree(login("seata", "s3cret").body());
        assertEquals("200", ok.get("code").asText());
        assertEquals("success", ok.get("message").asText());
        assertTrue(ok.get("success").asBoolean());
        String token = ok.get("data").asText();
        assertTrue(token.startsWith("Bearer "), token);

        HttpResponse<String> meta = get("/metadata/v1/cluster?group=default", token);
        assertEquals(200, meta.statusCode());
        assertEquals(3, mapper.readTree(meta.body()).get("nodes").size());
        assertEquals(200, http.send(watchRequest("default=0", token), HttpResponse.BodyHandlers.ofString())
                .statusCode());
        // health stays open for the operator's scripts
        assertEquals(200, get("/health", null).statusCode());
    }

    @Test
    void withoutCredentialsLoginStillAnswersAToken() throws Exception {
        start(Optional.empty());
        JsonNode ok = mapper.readTree(login("anyone", "anything").body());
        assertEquals("200", ok.get("code").asText());
        assertTrue(ok.get("data").asText().startsWith("Bearer "));
    }

    @Test
    void watchAnswersAtOnceWhenTheClientIsBehind() throws Exception {
        start(Optional.empty());
        view.update(5, "node1");
        HttpResponse<String> r = http.send(watchRequest("default=3", null), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
    }

    @Test
    void watchTimesOutWith304() throws Exception {
        start(Optional.empty());
        view.update(5, "node2");
        HttpResponse<String> r = http.send(watchRequest("default=5&timeout=200", null),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(304, r.statusCode());
        // timeout as a query parameter works too
        HttpRequest q = HttpRequest.newBuilder(uri("/metadata/v1/watch?timeout=100"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("default=5")).build();
        assertEquals(304, http.send(q, HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void heldWatchIsReleasedByATermChange() throws Exception {
        start(Optional.empty());
        view.update(5, "node2");
        CompletableFuture<HttpResponse<String>> held = http.sendAsync(watchRequest("default=5&timeout=30000", null),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> server.pendingWatches() == 1);
        assertFalse(held.isDone());

        view.update(6, "node2");
        assertEquals(200, held.get(5, java.util.concurrent.TimeUnit.SECONDS).statusCode());
        assertEquals(0, server.pendingWatches());
    }

    @Test
    void heldWatchIsReleasedWhenALeaderBecomesKnownInTheSameTerm() throws Exception {
        start(Optional.empty());
        view.update(7, null);
        CompletableFuture<HttpResponse<String>> held = http.sendAsync(watchRequest("default=7&timeout=30000", null),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> server.pendingWatches() == 1);
        view.update(7, "node3");
        assertEquals(200, held.get(5, java.util.concurrent.TimeUnit.SECONDS).statusCode());
    }

    @Test
    void watchIsHeldWhileNoLeaderIsKnownEvenIfTheTermIsNewer() throws Exception {
        start(Optional.empty());
        view.update(5, null);
        CompletableFuture<HttpResponse<String>> held = http.sendAsync(watchRequest("default=3&timeout=30000", null),
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
        start(Optional.empty());
        view.update(5, "node2");
        CompletableFuture<HttpResponse<String>> held = http.sendAsync(watchRequest("default=5&timeout=30000", null),
                HttpResponse.BodyHandlers.ofString());
        await().during(Duration.ofMillis(3 * WatchRoute.LEADER_HOLD_MS)).atMost(Duration.ofSeconds(5))
                .until(() -> !held.isDone());
        assertEquals(1, server.pendingWatches());
    }

    @Test
    void theLeaderAnswersACurrentWatch304AfterAShortHold() throws Exception {
        start(Optional.empty());
        view.update(5, "node1");
        long start = System.nanoTime();
        HttpResponse<String> r = http.send(watchRequest("default=5&timeout=30000", null),
                HttpResponse.BodyHandlers.ofString());
        long tookMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertEquals(304, r.statusCode());
        // Not at once (a client that knows only the leader must not spin), and nowhere near the client's timeout.
        assertTrue(tookMs >= WatchRoute.LEADER_HOLD_MS && tookMs < 10 * WatchRoute.LEADER_HOLD_MS, tookMs + " ms");
        assertEquals(0, server.pendingWatches());

        // A newer term still answers 200 at once, and a shorter client timeout wins over the hold.
        assertEquals(200, http.send(watchRequest("default=4&timeout=30000", null),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        start = System.nanoTime();
        assertEquals(304, http.send(watchRequest("default=5&timeout=50", null),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < WatchRoute.LEADER_HOLD_MS);
    }

    @Test
    void aWatchHeldByAFollowerThatBecomesLeaderIsReleasedWith200() throws Exception {
        start(Optional.empty());
        view.update(5, "node2");
        CompletableFuture<HttpResponse<String>> held = http.sendAsync(watchRequest("default=5&timeout=30000", null),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> server.pendingWatches() == 1);
        view.update(6, "node1");
        assertEquals(200, held.get(5, java.util.concurrent.TimeUnit.SECONDS).statusCode());
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
