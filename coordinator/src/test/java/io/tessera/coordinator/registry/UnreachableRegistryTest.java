package io.tessera.coordinator.registry;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.coordinator.config.NodeConfig;
import io.tessera.coordinator.config.RegistryConfig;
import io.tessera.coordinator.tc.TcOptions;
import io.tessera.coordinator.testing.LocalCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registries that cannot be reached never hold the node up: it starts and serves (a leader with its
 * token key), nothing is registered while the registries refuse connections, and stopping it takes a
 * bounded few seconds. (Registration against real servers: the registry tests in compat-tests.)
 */
@Timeout(120)
class UnreachableRegistryTest {
    @TempDir
    Path dir;

    private static int closedPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort(); // nothing listens there once the socket is closed
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aNodeWhoseRegistriesRefuseConnectionsStartsServesAndStops() throws Exception {
        String refused = "127.0.0.1:" + closedPort();
        RegistryConfig registries = RegistryConfig.of(Map.of("registry.type", "zk,redis,etcd3,eureka",
                "registry.zk.serverAddr", refused, "registry.redis.serverAddr", refused,
                "registry.etcd3.serverAddr", "http://" + refused, "registry.eureka.serviceUrl", "http://" + refused));
        LocalCluster cluster = new LocalCluster(dir, 1, new TcOptions(4_000, 2_000, 200, 500, 60_000, 60_000)) {
            @Override
            protected NodeConfig config(int i) {
                return NodeConfig.builder(members().get(i).id(), dataDir(i), configuredMembers(i), security(i))
                        .registry(registries).build();
            }
        };
        try {
            cluster.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> cluster.node(0).group().isLeader());
            cluster.awaitTokenKey();
            // The registrars try (and keep trying on their own threads); none gets through.
            NodeRegistration registration = cluster.node(0).registration();
            assertEquals(4, registration.registrars().size());
            assertFalse(registration.registrars().stream().anyMatch(Registrar::isRegistered));
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> cluster.stop(0));
            assertTrue(cluster.runningIndexes().isEmpty());
        } finally {
            cluster.close();
        }
    }
}
