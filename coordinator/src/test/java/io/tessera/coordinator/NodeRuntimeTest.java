package io.tessera.coordinator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.codec.RpcFrame;
import io.tessera.codec.message.GlobalBeginRequest;
import io.tessera.codec.message.GlobalBeginResponse;
import io.tessera.codec.message.Response;
import io.tessera.codec.message.ResultCode;
import io.tessera.codec.message.TransactionExceptionCode;
import io.tessera.coordinator.cluster.InMemoryClusterView;
import io.tessera.coordinator.config.ConfigException;
import io.tessera.coordinator.config.MemberSpec;
import io.tessera.coordinator.config.NodeConfig;
import io.tessera.coordinator.config.NodeConfigLoader;
import io.tessera.coordinator.testing.RawClient;
import io.tessera.coordinator.testing.TestSecurity;
import io.tessera.coordinator.transport.TransactionServer;
import io.tessera.coordinator.transport.TransactionService;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class NodeRuntimeTest {
    @TempDir
    Path dir;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private NodeConfig config(int control, int transaction, int raft) {
        return NodeConfig.builder("node1", dir, List.of(new MemberSpec("node1", "127.0.0.1", control,
                transaction, raft)), TestSecurity.plain()).requestTimeoutMs(2000).build();
    }

    @Test
    void runsWithoutRaftAsRoleUnknownAndAnswersNotReady() throws Exception {
        NodeConfig config = config(freePort(), freePort(), freePort());
        InMemoryClusterView view = new InMemoryClusterView("node1", "default", config.members());
        try (NodeRuntime node = new NodeRuntime(config, view, new NotReadyTransactionService("node1"))) {
            node.start();
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + node.controlPort() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(health.body().contains("\"role\":\"UNKNOWN\""), health.body());
            try (RawClient tm = new RawClient(node.transactionPort())) {
                tm.registerTm("orders", "2.5.0");
                tm.request(new GlobalBeginRequest(1000, "t"));
                GlobalBeginResponse r = assertInstanceOf(GlobalBeginResponse.class, tm.next().body());
                assertEquals(ResultCode.Failed, r.resultCode());
                assertTrue(r.msg().contains("no transaction state"), r.msg());
                String after = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + node.controlPort() + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertTrue(after.contains("\"tmConnections\":1"), after);
            }
        }
    }

    private static JsonNode health(NodeRuntime node) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + node.controlPort() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return new ObjectMapper().readTree(body);
    }

    /** From the config key to the wire and /health: a bound of 1 refuses the second concurrent begin. */
    @Test
    void configuredInflightBoundIsHonouredAndReportedOnHealth() throws Exception {
        int control = freePort();
        int transaction = freePort();
        int raft = freePort();
        NodeConfig config = new NodeConfigLoader(Map.of(
                "tessera.node.id", "node1",
                "tessera.cluster.members", "node1@127.0.0.1:" + control + ":" + transaction + ":" + raft,
                "tessera.data.dir", dir.toString(),
                "tessera.request.timeout-ms", "30000",
                "tessera.transaction.max-inflight-requests", "1", "tessera.raft.tls.enabled", "false"), Map.of(
                "TESSERA_REGISTRY_USERNAME", TestSecurity.CLIENT.username(),
                "TESSERA_REGISTRY_PASSWORD", TestSecurity.CLIENT.password(),
                "TESSERA_ADMIN_USERNAME", TestSecurity.ADMIN.username(),
                "TESSERA_ADMIN_PASSWORD", TestSecurity.ADMIN.password())).load(null);
        assertEquals(1, config.maxInflightRequests());
        // Holds every begin unanswered, so "in flight" is under the test's control.
        List<CompletableFuture<Response>> held = new CopyOnWriteArrayList<>();
        TransactionService holding = (session, request) -> {
            CompletableFuture<Response> answer = new CompletableFuture<>();
            held.add(answer);
            return answer;
        };
        InMemoryClusterView view = new InMemoryClusterView("node1", "default", config.members());
        try (NodeRuntime node = new NodeRuntime(config, view, holding)) {
            node.start();
            assertEquals(0, health(node).get("inFlightRequests").asInt());
            assertEquals(0, health(node).get("refusedBegins").asLong());
            try (RawClient tm = new RawClient(node.transactionPort())) {
                tm.registerTm("orders", "2.5.0");
                int first = tm.request(new GlobalBeginRequest(60_000, "held"));
                await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);

                int second = tm.request(new GlobalBeginRequest(60_000, "refused"));
                RpcFrame refused = tm.next();
                assertEquals(second, refused.requestId());
                GlobalBeginResponse busy = assertInstanceOf(GlobalBeginResponse.class, refused.body());
                assertEquals(TransactionExceptionCode.BeginFailed, busy.exceptionCode());
                assertTrue(busy.msg().contains("TC node1 is busy"), busy.msg());
                JsonNode h = health(node);
                assertEquals(1, h.get("inFlightRequests").asInt());
                assertEquals(1, h.get("refusedBegins").asLong());

                held.get(0).completeExceptionally(new IllegalStateException("released by the test"));
                assertEquals(first, tm.next().requestId());
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> health(node).get("inFlightRequests").asInt() == 0);
                assertEquals(1, health(node).get("refusedBegins").asLong());
            }
        }
    }

    @Test
    void portInUseFailsWithOneClearLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            NodeConfig config = config(freePort(), taken.getLocalPort(), freePort());
            NodeRuntime node = new NodeRuntime(config, new InMemoryClusterView("node1", "default", config.members()),
                    new NotReadyTransactionService("node1"));
            ConfigException e = assertThrows(ConfigException.class, node::start);
            assertTrue(e.getMessage().startsWith("transaction port 127.0.0.1:" + taken.getLocalPort()
                    + " cannot be bound"), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"));
        }
        try (ServerSocket taken = new ServerSocket(0)) {
            NodeConfig config = config(freePort(), freePort(), taken.getLocalPort());
            NodeRuntime node = new NodeRuntime(config, new InMemoryClusterView("node1", "default", config.members()),
                    new NotReadyTransactionService("node1"));
            ConfigException e = assertThrows(ConfigException.class, node::start);
            assertTrue(e.getMessage().startsWith("raft port 127.0.0.1:" + taken.getLocalPort() + " is already in use"),
                    e.getMessage());
        }
    }

    @Test
    void pidFileRefusesASecondLiveOwnerAndReplacesAStaleOne() throws Exception {
        Path file = dir.resolve("node.pid");
        // a live process that is not us: our parent (the surefire launcher / shell)
        long other = ProcessHandle.current().parent().orElseThrow().pid();
        Files.writeString(file, other + "\n");
        ConfigException e = assertThrows(ConfigException.class, () -> new PidFile(file).acquire());
        assertTrue(e.getMessage().contains("pid " + other), e.getMessage());

        Files.writeString(file, "999999999\n");
        PidFile pid = new PidFile(file);
        pid.acquire();
        assertEquals(String.valueOf(ProcessHandle.current().pid()), Files.readString(file).trim());
        pid.close();
        assertTrue(Files.notExists(file));
    }
}
