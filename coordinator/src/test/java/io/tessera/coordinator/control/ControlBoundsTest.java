package io.tessera.coordinator.control;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.coordinator.cluster.InMemoryClusterView;
import io.tessera.coordinator.config.MemberSpec;
import io.tessera.coordinator.config.NodeConfig.ControlLimits;
import io.tessera.coordinator.testing.ControlHttp;
import io.tessera.coordinator.testing.TestSecurity;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The control port's connection, request and idle bounds, against real sockets. */
@Timeout(60)
class ControlBoundsTest {
    private static final int REQUEST_TIMEOUT_MS = 1_000;
    private static final int IDLE_TIMEOUT_MS = 1_500;
    private static final int MAX_CONNECTIONS = 4;

    private final InMemoryClusterView view = new InMemoryClusterView("node1", "default",
            List.of(new MemberSpec("node1", "127.0.0.1", 7091, 8091, 9091)));
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final List<Socket> sockets = new ArrayList<>();
    private ControlServer server;
    private ControlHttp http;

    @BeforeEach
    void start() {
        server = new ControlServer(new ControlServer.Settings("node1", "127.0.0.1", 0, "2.5.0", TestSecurity.CLIENT,
                TestSecurity.ADMIN, new ControlLimits(MAX_CONNECTIONS, IDLE_TIMEOUT_MS, REQUEST_TIMEOUT_MS)), view,
                new LocalAuthState(true), Map::of);
        server.start();
        view.update(2, "node2");
        http = new ControlHttp("127.0.0.1", server.port());
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        pool.shutdownNow();
        server.close();
    }

    private Socket open() throws IOException {
        Socket s = http.connect();
        sockets.add(s);
        return s;
    }

    /** Milliseconds until the server closes {@code s} (reads and discards anything it sends first). */
    private Future<Long> closedAfter(Socket s) {
        long start = System.nanoTime();
        return pool.submit(() -> {
            InputStream in = s.getInputStream();
            try {
                while (in.read() >= 0) {
                    // an error answer may come first
                }
            } catch (SocketException reset) {
                // closed with unread input: a reset is a close too
            }
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        });
    }

    @Test
    void aHalfSentRequestIsClosedAtTheRequestDeadlineWhileOthersAreServed() throws Exception {
        Socket s = open();
        OutputStream out = s.getOutputStream();
        out.write(("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100\r\n\r\n{\"username\":").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Future<Long> closed = closedAfter(s);

        // Meanwhile another client is served normally.
        assertEquals(200, http.get("/health", null).status());
        long ms = closed.get(10, TimeUnit.SECONDS);
        assertTrue(ms >= REQUEST_TIMEOUT_MS - 200 && ms < REQUEST_TIMEOUT_MS + 2_000, "closed after " + ms + " ms");
    }

    /** Slowloris: a byte every 100 ms never extends the deadline that the first byte started. */
    @Test
    void aTricklingRequestIsClosedAtTheDeadlineOfItsFirstByte() throws Exception {
        Socket s = open();
        Future<Long> closed = closedAfter(s);
        CompletableFuture<Void> trickle = CompletableFuture.runAsync(() -> {
            try {
                OutputStream out = s.getOutputStream();
                byte[] request = ("GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " + "a".repeat(500))
                        .getBytes(StandardCharsets.US_ASCII);
                for (byte b : request) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(100); // the client's pace, not synchronisation
                }
            } catch (IOException | InterruptedException expected) {
                // the server closed the connection
            }
        }, pool);
        assertEquals(200, http.get("/health", null).status());
        long ms = closed.get(10, TimeUnit.SECONDS);
        assertTrue(ms < REQUEST_TIMEOUT_MS + 2_000, "closed after " + ms + " ms");
        trickle.get(10, TimeUnit.SECONDS);
    }

    @Test
    void anIdleConnectionIsClosedButAHeldWatchIsNot() throws Exception {
        Socket idle = open();
        long idleMs = closedAfter(idle).get(10, TimeUnit.SECONDS);
        assertTrue(idleMs >= IDLE_TIMEOUT_MS - 200 && idleMs < IDLE_TIMEOUT_MS + 2_000, "idle closed after " + idleMs);

        // A watch held twice as long as the idle timeout is a request in progress: answered, not cut.
        String token = http.token(TestSecurity.CLIENT);
        long start = System.nanoTime();
        ControlHttp.Reply r = http.post("/metadata/v1/watch", token, "application/x-www-form-urlencoded",
                "default=2&timeout=" + (2 * IDLE_TIMEOUT_MS));
        assertEquals(304, r.status());
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) >= 2L * IDLE_TIMEOUT_MS - 100);
    }

    @Test
    void connectionsBeyondTheLimitAreClosedAtOnce() throws Exception {
        for (int i = 0; i < MAX_CONNECTIONS; i++) {
            open();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == MAX_CONNECTIONS);
        Socket extra = open();
        long ms = closedAfter(extra).get(5, TimeUnit.SECONDS);
        assertTrue(ms < IDLE_TIMEOUT_MS, "the extra connection was closed at once, not by the idle timeout: " + ms);

        sockets.get(0).close();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() < MAX_CONNECTIONS);
        assertEquals(200, http.get("/health", null).status());
    }

    @Test
    void requestsAboveSixtyFourKibAreRefused() {
        String big = "default=" + "1".repeat(70 * 1024);
        ControlHttp.Reply r = http.post("/metadata/v1/watch", null, "application/x-www-form-urlencoded", big);
        assertEquals(413, r.status());
    }
}
