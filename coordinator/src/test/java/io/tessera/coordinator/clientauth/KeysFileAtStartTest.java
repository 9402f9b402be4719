package io.tessera.coordinator.clientauth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.coordinator.NodeRuntime;
import io.tessera.coordinator.cluster.InMemoryClusterView;
import io.tessera.coordinator.config.ConfigException;
import io.tessera.coordinator.config.MemberSpec;
import io.tessera.coordinator.config.NodeConfig;
import io.tessera.coordinator.testing.InMemoryTransactionService;
import io.tessera.coordinator.testing.TestSecurity;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A node whose client-auth.keys-file has mistakes does not start, and says which lines are wrong. */
@Timeout(60)
class KeysFileAtStartTest {
    @TempDir
    Path dir;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void aMistakeInTheKeysFileStopsTheStartWithOneLine() throws Exception {
        Path keys = dir.resolve("client-keys");
        Files.writeString(keys, "# keys\norders-ak = orders:short\nstock-ak stock:0123456789abcdef\n");
        NodeConfig.Security plain = TestSecurity.plain();
        NodeConfig config = NodeConfig.builder("node1", dir.resolve("data"), List.of(new MemberSpec("node1",
                "127.0.0.1", freePort(), freePort(), freePort())),
                new NodeConfig.Security(plain.registry(), plain.admin(), Optional.empty(), Optional.of(keys))).build();
        try (NodeRuntime node = new NodeRuntime(config, new InMemoryClusterView("node1", "default", config.members()),
                new InMemoryTransactionService("127.0.0.1:1"))) {
            ConfigException e = assertThrows(ConfigException.class, node::start);
            assertTrue(e.getMessage().startsWith("client-auth.keys-file " + keys + ": line 2: the secret key of"
                    + " 'orders-ak' must have at least 16 characters; line 3: expected"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
    }
}
