package io.tessera.coordinator.tc;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.coordinator.config.NodeConfig.Credentials;
import io.tessera.coordinator.testing.ControlHttp;
import io.tessera.coordinator.testing.LocalCluster;
import io.tessera.coordinator.testing.TestSecurity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control port's roles, keys and credentials across a real three-node cluster (jraft, RocksDB,
 * sockets): the key and the API-set credentials are replicated state, so a token or a change made on one
 * node holds on every node, and on no other cluster.
 */
@Timeout(180)
class ControlAuthClusterTest {
    private static final TcOptions FAST = new TcOptions(4_000, 2_000, 200, 500, 60_000, 60_000);
    private static final String METADATA = "/metadata/v1/cluster?group=default";
    private static final String BACKUP = "/admin/v1/backup";

    @TempDir
    static Path dir;

    private static LocalCluster cluster;
    private final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        cluster = new LocalCluster(dir.resolve("main"), 3, FAST).start();
        cluster.leaderIndex();
        cluster.awaitTokenKey();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static ControlHttp leader() {
        return cluster.control(cluster.leaderIndex());
    }

    private static IntStream nodes() {
        return IntStream.range(0, cluster.size());
    }

    @Test
    void backupNeedsTheAdminRole() {
        ControlHttp c = leader();
        assertEquals(401, c.post(BACKUP, null, null, null).status());
        ControlHttp.Reply forbidden = c.post(BACKUP, c.token(TestSecurity.CLIENT), null, null);
        assertEquals(403, forbidden.status());
        assertTrue(forbidden.json().get("message").asText().contains("needs the admin role"), forbidden.body());

        ControlHttp.Reply archive = leader().post(BACKUP, leader().token(TestSecurity.ADMIN), null, null);
        assertEquals(200, archive.status());
        assertEquals("application/zip", archive.headers().get("content-type"));
    }

    @Test
    void theClusterHasOneKeyAndATokenFromOneNodeIsValidOnEveryNode() {
        long distinctKeys = nodes().mapToObj(i -> java.util.HexFormat.of()
                .formatHex(cluster.node(i).stateMachine().view().tokenKey().orElseThrow().key())).distinct().count();
        assertEquals(1, distinctKeys);
        String token = cluster.control(cluster.followerIndex()).token(TestSecurity.CLIENT);
        nodes().forEach(i -> assertEquals(200, cluster.control(i).get(METADATA, token).status(), "node " + i));
    }

    @Test
    void aTokenOfAnotherClusterWithTheSameCredentialsIsRefused() throws Exception {
        try (LocalCluster other = new LocalCluster(dir.resolve("other"), 1, FAST).start()) {
            other.leaderIndex();
            other.awaitTokenKey();
            String foreign = other.control(0).token(TestSecurity.CLIENT);
            assertEquals(200, other.control(0).get(METADATA, foreign).status());
            nodes().forEach(i -> assertEquals(401, cluster.control(i).get(METADATA, foreign).status(), "node " + i));
        }
    }

    @Test
    void rotatingTheKeyOnAFollowerRevokesTokensOnEveryNode() {
        ControlHttp follower = cluster.control(cluster.followerIndex());
        String client = leader().token(TestSecurity.CLIENT);
        long before = cluster.node(0).stateMachine().view().tokenKey().orElseThrow().generation();

        ControlHttp.Reply r = follower.post("/admin/v1/auth/rotate-token-key", follower.token(TestSecurity.ADMIN),
                null, null);
        assertEquals(200, r.status(), r.body());
        assertEquals(before + 1, r.json().get("data").get("generation").asLong());

        nodes().forEach(i -> await().atMost(Duration.ofSeconds(10))
                .until(() -> cluster.control(i).get(METADATA, client).status() == 401));
        String fresh = follower.token(TestSecurity.CLIENT);
        nodes().forEach(i -> await().atMost(Duration.ofSeconds(10))
                .until(() -> cluster.control(i).get(METADATA, fresh).status() == 200));
        assertTrue(cluster.node(0).stateMachine().view().tokenKey().orElseThrow().requestedBy()
                .startsWith("admin 'tessera-admin' from 127.0.0.1 via node"));
    }

    @Test
    void credentialsChangedThroughTheApiTakeEffectOnEveryNode() throws Exception {
        Credentials changed = new Credentials("seata-app", "rotated-client-secret");
        ControlHttp follower = cluster.control(cluster.followerIndex());
        String admin = follower.token(TestSecurity.ADMIN);
        try {
            ControlHttp.Reply r = follower.put("/admin/v1/auth/credentials", admin, "application/json",
                    mapper.writeValueAsString(Map.of("role", "client", "username", changed.username(),
                            "password", changed.password())));
            assertEquals(200, r.status(), r.body());
            nodes().forEach(i -> await().atMost(Duration.ofSeconds(10)).until(() ->
                    cluster.node(i).stateMachine().view().controlCredentials(io.tessera.raft.tx.ControlRole.CLIENT)
                            .isPresent()));
            nodes().forEach(i -> {
                ControlHttp c = cluster.control(i);
                assertEquals("401", c.login(TestSecurity.CLIENT.username(), TestSecurity.CLIENT.password()).code(),
                        "old password on node " + i);
                assertEquals(200, c.get(METADATA, c.token(changed)).status(), "new password on node " + i);
            });
        } finally {
            // Back to the configured values for the other tests (now as API-set credentials).
            follower.put("/admin/v1/auth/credentials", admin, "application/json", mapper.writeValueAsString(Map.of(
                    "role", "client", "username", TestSecurity.CLIENT.username(),
                    "password", TestSecurity.CLIENT.password())));
            nodes().forEach(i -> await().atMost(Duration.ofSeconds(10)).until(() -> "200".equals(
                    cluster.control(i).login(TestSecurity.CLIENT.username(), TestSecurity.CLIENT.password()).code())));
        }
    }
}
