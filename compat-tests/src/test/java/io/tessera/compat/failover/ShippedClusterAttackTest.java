package io.tessera.compat.failover;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.core.CliServiceImpl;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.option.CliOptions;
import com.alipay.sofa.jraft.option.RpcOptions;
import com.alipay.sofa.jraft.rpc.RpcClient;
import com.alipay.sofa.jraft.util.Endpoint;
import com.alipay.sofa.jraft.util.RpcFactoryHelper;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.tessera.compat.ResourceIds;
import io.tessera.coordinator.testing.RawClient;
import io.tessera.raft.group.proto.ForwardRequest;
import io.tessera.raft.proto.DecideGlobal;
import io.tessera.raft.proto.Decision;
import io.tessera.raft.proto.TxCommand;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.seata.core.model.BranchType;
import org.apache.seata.core.rpc.netty.RmNettyRemotingClient;
import org.apache.seata.core.rpc.netty.TmNettyRemotingClient;
import org.apache.seata.rm.DefaultResourceManager;
import org.apache.seata.rm.RMClient;
import org.apache.seata.tm.TMClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster exactly as {@code scripts/cluster.sh} ships it (three processes, member TLS and generated
 * credentials from the first start), attacked the way a stranger on the network would, while the
 * unmodified seata-all client keeps committing two-branch TCC transactions: every attack is refused,
 * the membership and the leader stay as they were, and the client sees no failed transaction.
 * The attacks' mechanics are tested in depth elsewhere (docs/security.md names each test); this test
 * proves the shipped configuration has them switched on.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ShippedClusterAttackTest {
    private static final String APP = "attacked-app";
    private static final String GROUP = "compat-tx-group";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void strangersAreRefusedEverywhereWhileTheClientKeepsCommitting() throws Exception {
        try (ProcessCluster cluster = new ProcessCluster(dir, 3).start()) {
            String leader = cluster.awaitOneLeaderAgreed();
            startClient(cluster);
            try (TxLoad load = new TxLoad(4, 20_000)) {
                load.start();
                awaitCommits(load, 50);

                raftPortRefusesCliAndForgedForwards(cluster, leader);
                backupNeedsTheAdminRole(cluster, leader);
                loginBruteForceIsThrottled(cluster, leader);
                pingOnlyConnectionsAreClosed(cluster, leader);
                forgedLogLinesStayOnOneLine(cluster, leader);

                awaitCommits(load, 50);
                load.stop();
                List<TxLoad.TxRecord> failed = load.records().stream()
                        .filter(r -> r.outcome() != TxLoad.Outcome.COMMITTED).toList();
                assertEquals(List.of(), failed, "the client saw failures during the attacks");
            } finally {
                TmNettyRemotingClient.getInstance().destroy();
                RmNettyRemotingClient.getInstance().destroy();
            }
            assertEquals(leader, cluster.awaitOneLeaderAgreed(), "the attacks moved the leader");
            cluster.liveHealth().forEach(h -> assertEquals(leader, h.leader().orElse(null), h.toString()));
        }
    }

    /** jraft's CLI service and our forwarding, spoken in plain bolt without a member certificate. */
    private void raftPortRefusesCliAndForgedForwards(ProcessCluster cluster, String leader) throws Exception {
        List<String> raftPeers = cluster.members().stream().map(m -> "127.0.0.1:" + m.raft()).toList();
        Configuration conf = new Configuration();
        raftPeers.forEach(p -> conf.addPeer(PeerId.parsePeer(p)));
        CliServiceImpl cli = new CliServiceImpl();
        CliOptions options = new CliOptions();
        options.setTimeoutMs(2_000);
        options.setMaxRetry(0);
        assertTrue(cli.init(options));
        try {
            String victim = "127.0.0.1:" + cluster.members().stream().filter(m -> !m.id().equals(leader))
                    .findFirst().orElseThrow().raft();
            Status removed = cli.removePeer("default", conf, PeerId.parsePeer(victim));
            assertFalse(removed.isOk(), "removePeer from a stranger: " + removed);
            Status moved = cli.transferLeader("default", conf, PeerId.parsePeer(victim));
            assertFalse(moved.isOk(), "transferLeader from a stranger: " + moved);
            Status snapshot = cli.snapshot("default", PeerId.parsePeer(victim));
            assertFalse(snapshot.isOk(), "snapshot from a stranger: " + snapshot);
        } finally {
            cli.shutdown();
        }

        // A follower's forward, hand-made: "roll back" some xid. Refused before a byte is read.
        RpcClient bolt = RpcFactoryHelper.rpcFactory().createRpcClient();
        assertTrue(bolt.init(new RpcOptions()));
        try {
            TxCommand rollback = TxCommand.newBuilder().setDecide(DecideGlobal.newBuilder()
                    .setXid("127.0.0.1:" + cluster.member(leader).transaction() + ":1")
                    .setDecision(Decision.ROLLBACK)).build();
            ForwardRequest forged = ForwardRequest.newBuilder().setGroupId("default")
                    .setDraft(ByteString.copyFrom(rollback.toByteArray())).setTimeoutMs(2_000).build();
            Endpoint target = new Endpoint("127.0.0.1", cluster.member(leader).raft());
            boolean refused;
            try {
                Object answer = bolt.invokeSync(target, forged, 3_000);
                refused = answer == null;
            } catch (Exception e) {
                refused = true;
            }
            assertTrue(refused, "a forged forward was answered");
        } finally {
            bolt.shutdown();
        }
        assertTrue(Files.readString(cluster.nodeLog(leader)).contains("refused a connection (TLS handshake failed)"),
                "the leader logs the refused stranger");
    }

    private void backupNeedsTheAdminRole(ProcessCluster cluster, String leader) throws Exception {
        String control = cluster.member(leader).controlAddress();
        HttpResponse<byte[]> noToken = post(control, "/admin/v1/backup", null);
        assertEquals(401, noToken.statusCode());
        String clientToken = login(control, cluster.credential("TESSERA_REGISTRY_USERNAME"),
                cluster.credential("TESSERA_REGISTRY_PASSWORD"));
        HttpResponse<byte[]> withClientRole = post(control, "/admin/v1/backup", clientToken);
        assertEquals(403, withClientRole.statusCode(), new String(withClientRole.body()));
    }

    private void loginBruteForceIsThrottled(ProcessCluster cluster, String leader) throws Exception {
        String control = cluster.member(leader).controlAddress();
        int throttled = 0;
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + control
                    + "/api/v1/auth/login")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"username\":\"tessera-admin\",\"password\":\"guess-" + i + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertFalse(JSON.readTree(r.body()).has("data"), "a guess got a token: " + r.body());
            if (r.statusCode() == 429) {
                throttled++;
            }
        }
        assertTrue(throttled >= 4, "10 guesses in a row, " + throttled + " throttled");
    }

    /** Connections that only ping are closed at the registration deadline (5 s by default). */
    private void pingOnlyConnectionsAreClosed(ProcessCluster cluster, String leader) throws Exception {
        int port = cluster.member(leader).transaction();
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
                s.getOutputStream().write(heartbeat(i + 1));
                s.getOutputStream().flush();
                s.setSoTimeout(15_000);
                sockets.add(s);
            }
            for (Socket s : sockets) {
                InputStream in = s.getInputStream();
                // The pong, then the end of the stream (the node closes), never anything else.
                await().atMost(Duration.ofSeconds(15)).until(() -> drainToEnd(in));
            }
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    private static boolean drainToEnd(InputStream in) throws java.io.IOException {
        byte[] buf = new byte[256];
        return in.read(buf) < 0;
    }

    /** A v1 heartbeat request frame: magic, version, length 16, head 16, type 3 (ping), codec 1, no compression. */
    private static byte[] heartbeat(int requestId) {
        return new byte[] {(byte) 0xda, (byte) 0xda, 1, 0, 0, 0, 16, 0, 16, 3, 1, 0,
            (byte) (requestId >>> 24), (byte) (requestId >>> 16), (byte) (requestId >>> 8), (byte) requestId};
    }

    private void forgedLogLinesStayOnOneLine(ProcessCluster cluster, String leader) throws Exception {
        String forged = "2026-12-07T00:00:00.000Z ERROR [" + leader + "] [main] forged - the cluster is compromised";
        try (RawClient tm = new RawClient(cluster.member(leader).transaction())) {
            tm.registerTm("evil-app\n" + forged, "2.5.0");
        }
        Path log = cluster.nodeLog(leader);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(log).contains("evil-app\\n"));
        for (String line : Files.readAllLines(log)) {
            assertFalse(line.startsWith(forged), "a client forged a log line: " + line);
        }
    }

    private String login(String control, String user, String password) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + control + "/api/v1/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                        java.util.Map.of("username", user, "password", password)))).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body()).path("data").asText();
    }

    private HttpResponse<byte[]> post(String control, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + control + path))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void startClient(ProcessCluster cluster) {
        System.setProperty("registry.type", "raft");
        System.setProperty("registry.raft.serverAddr", cluster.controlAddresses());
        System.setProperty("registry.raft.username", cluster.credential("TESSERA_REGISTRY_USERNAME"));
        System.setProperty("registry.raft.password", cluster.credential("TESSERA_REGISTRY_PASSWORD"));
        System.setProperty("service.vgroupMapping." + GROUP, "default");
        TMClient.init(APP, GROUP);
        RMClient.init(APP, GROUP);
        DefaultResourceManager.get();
        FailoverTccRm rm = new FailoverTccRm();
        DefaultResourceManager.mockResourceManager(BranchType.TCC, rm);
        rm.registerResource(ResourceIds.resource(GROUP, TxLoad.RESOURCE_1, BranchType.TCC));
        rm.registerResource(ResourceIds.resource(GROUP, TxLoad.RESOURCE_2, BranchType.TCC));
    }
    private static void awaitCommits(TxLoad load, int more) {
        long target = load.committedCount() + more;
        await().atMost(Duration.ofSeconds(60)).until(() -> load.committedCount() >= target);
    }
}
