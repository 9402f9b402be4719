package io.tessera.raft.group;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The leader watch over member TLS, against real members' raft ports. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MemberTlsLeaderWatchTest {
    private static final long QUIET = TimeUnit.HOURS.toNanos(1);

    @TempDir
    Path dir;

    @Test
    void theWatchSessionIsTlsWithTheMemberCertificateAndOutlivesReadTimeoutsWithAnsweredHeartbeats() throws Exception {
        TestPki pki = new TestPki(dir.resolve("pki"));
        try (TestCluster c = new TestCluster(dir, 1).tls(i -> pki.member("n" + i)).startAll()) {
            InetSocketAddress port = address(c.endpoint(0));
            SocketLayer layer = Transport.tls(TestPki.load(pki.member("watcher")), "watcher", QUIET).watchLayer();
            Socket raw = new Socket();
            raw.connect(port, 2_000);
            try (Socket s = layer.over(raw, port.getHostString(), port.getPort())) {
                assertInstanceOf(SSLSocket.class, s);
                assertEquals("TLSv1.3", ((SSLSocket) s).getSession().getProtocol());
                InputStream in = s.getInputStream();
                for (int id = 41; id <= 43; id++) {
                    // What the watch does: wait for silence, then send a heartbeat on the same session.
                    s.setSoTimeout(200);
                    assertThrows(SocketTimeoutException.class, in::read);
                    s.getOutputStream().write(LeaderLossDetector.boltHeartbeat(id));
                    s.getOutputStream().flush();
                    s.setSoTimeout(10_000);
                    ByteBuffer b = ByteBuffer.wrap(in.readNBytes(20));
                    assertEquals(1, b.get(), "protocol");
                    assertEquals(0, b.get(), "type: response");
                    assertEquals(0, b.getShort(), "command: heartbeat");
                    b.get();
                    assertEquals(id, b.getInt(), "request id");
                    b.get();
                    assertEquals(0, b.getShort(), "status: success");
                }
            }
        }
    }

    @Test
    void aLeaderPortThatFailsTheHandshakeIsNoDeathButItsLaterRefusalIs() throws Exception {
        TestPki pki = new TestPki(dir.resolve("pki"));
        TestPki other = new TestPki(dir.resolve("other-pki"));
        List<Integer> timeouts = new CopyOnWriteArrayList<>();
        AtomicReference<String> jraftLeader = new AtomicReference<>();
        // A "leader" whose certificate is of another CA: the handshake fails on both sides.
        try (TestCluster foreign = new TestCluster(dir.resolve("foreign"), 1).tls(i -> other.member("x" + i)).startAll();
                LogCapture log = new LogCapture(LeaderLossDetector.class);
                LeaderLossDetector detector = new LeaderLossDetector("127.0.0.1:1", 1000, 150, timeouts::add,
                        () -> List.of("127.0.0.1:1", foreign.endpoint(0)), jraftLeader::get,
                        Transport.tls(TestPki.load(pki.member("n0")), "n0", QUIET).watchLayer(), 200)) {
            String leader = foreign.endpoint(0);
            jraftLeader.set(leader);
            detector.onLeaderChange(3, Optional.of(leader));

            await("warned").atMost(Duration.ofSeconds(10))
                    .until(() -> !log.linesContaining("TLS handshake failed", leader).isEmpty());
            // It keeps trying (several handshakes), warns once and lowers nothing.
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(timeouts::isEmpty);
            assertEquals(1, log.linesContaining("TLS handshake failed").size(), log.lines().toString());

            foreign.stop(0); // now nobody listens there: a refusal after the port was reached
            await("lowered").atMost(Duration.ofSeconds(10)).until(() -> timeouts.contains(150));
            assertEquals(1, detector.detections());
        }
    }

    private static InetSocketAddress address(String endpoint) {
        int colon = endpoint.lastIndexOf(':');
        return new InetSocketAddress(endpoint.substring(0, colon), Integer.parseInt(endpoint.substring(colon + 1)));
    }
}
