package io.tessera.raft.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The raft port listens on the bind host only. 127.0.0.2 is another address of the loopback interface
 * on Linux: a port bound to 127.0.0.1 refuses connections there, one bound to every interface accepts.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RaftPortBindTest {
    @TempDir
    Path dir;

    @Test
    void byDefaultTheRaftPortListensOnTheSelfEndpointsHostOnly() throws Exception {
        try (TestCluster c = new TestCluster(dir, 1).startAll()) {
            c.waitLeader(Duration.ofSeconds(15));
            int port = port(c.endpoint(0));
            assertEquals("127.0.0.1", c.group(0).options().bindHost());
            connect("127.0.0.1", port);
            assertThrows(ConnectException.class, () -> connect("127.0.0.2", port));
        }
    }

    @Test
    void anExplicitBindHostIsWhereItListens() throws Exception {
        try (TestCluster c = new TestCluster(dir, 1).bindHost("0.0.0.0").startAll()) {
            c.waitLeader(Duration.ofSeconds(15));
            int port = port(c.endpoint(0));
            connect("127.0.0.1", port);
            connect("127.0.0.2", port);
        }
    }

    private static void connect(String host, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2_000);
        }
    }

    private static int port(String endpoint) {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }
}
