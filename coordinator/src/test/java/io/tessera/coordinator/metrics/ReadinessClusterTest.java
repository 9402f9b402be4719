package io.tessera.coordinator.metrics;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.coordinator.tc.TcOptions;
import io.tessera.coordinator.testing.ControlHttp;
import io.tessera.coordinator.testing.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * /health/ready on a real cluster: 200 on every member while a leader is known and the member has applied
 * what it knows committed; 503 with the reason on a member left without a quorum; 200 again once the
 * others are back. /health/live answers 200 throughout. Both are open (probes carry no credentials).
 */
@Timeout(120)
class ReadinessClusterTest {
    private static final TcOptions FAST = new TcOptions(4_000, 2_000, 200, 500, 60_000, 60_000);

    @TempDir
    Path dir;

    @Test
    void readyFlipsTo503WithoutALeaderAndBack() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, 3, FAST).start()) {
            int leader = cluster.leaderIndex();
            for (int i = 0; i < 3; i++) {
                ControlHttp http = cluster.control(i);
                await().atMost(Duration.ofSeconds(20)).until(() -> http.get("/health/ready", null).status() == 200);
                ControlHttp.Reply ready = http.get("/health/ready", null);
                assertEquals("ready", ready.json().get("status").asText(), ready.body());
                assertEquals(200, http.get("/health/live", null).status());
            }

            int survivor = cluster.followerIndex();
            for (int i = 0; i < 3; i++) {
                if (i != survivor) {
                    cluster.stop(i);
                }
            }
            ControlHttp http = cluster.control(survivor);
            await().atMost(Duration.ofSeconds(20)).until(() -> http.get("/health/ready", null).status() == 503);
            ControlHttp.Reply notReady = http.get("/health/ready", null);
            assertEquals("not-ready", notReady.json().get("status").asText());
            assertTrue(notReady.json().get("reasons").toString().contains("no leader is known"), notReady.body());
            assertEquals(200, http.get("/health/live", null).status(), "alive without a quorum");

            for (int i = 0; i < 3; i++) {
                if (i != survivor) {
                    cluster.start(i);
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/health/ready", null).status() == 200);
            assertTrue(leader >= 0);
        }
    }
}
