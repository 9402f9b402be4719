package io.tessera.coordinator.metrics;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.coordinator.config.NodeConfig;
import io.tessera.coordinator.tc.TcOptions;
import io.tessera.coordinator.testing.ControlHttp;
import io.tessera.coordinator.testing.LocalCluster;
import io.tessera.coordinator.testing.TestSecurity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** metrics.enabled=false: no /metrics route (404 even with a token), no jraft registry; probes still work. */
@Timeout(60)
class MetricsDisabledTest {
    @TempDir
    Path dir;

    @Test
    void noMetricsRouteAndNoJraftRegistry() throws Exception {
        LocalCluster single = new LocalCluster(dir, 1, new TcOptions(4_000, 2_000, 200, 500, 60_000, 60_000)) {
            @Override
            protected NodeConfig.Monitoring monitoring(int i) {
                return new NodeConfig.Monitoring(false, Optional.empty(), 1_000);
            }
        };
        try (LocalCluster cluster = single.start()) {
            ControlHttp http = cluster.control(0);
            await().atMost(Duration.ofSeconds(20)).until(() -> http.get("/health/ready", null).status() == 200);
            assertEquals(404, http.get("/metrics", http.token(TestSecurity.ADMIN)).status());
            assertTrue(cluster.node(0).metrics().isEmpty());
            assertTrue(cluster.node(0).group().jraftMetrics().isEmpty());
        }
    }
}
