package io.tessera.raft.group;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The detector against real sockets standing in for the leader's raft port: a closed port (what a killed
 * process leaves) lowers the election timeout, a port that is still served does not, and the next known
 * leader brings the configured timeout back.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LeaderLossDetectorTest {
    private static final int CONFIGURED = 1000;
    private static final int FAST = 150;

    private final List<Integer> timeouts = new CopyOnWriteArrayList<>();
    private final List<String> members = new CopyOnWriteArrayList<>(List.of("127.0.0.1:1"));
    private final LeaderLossDetector detector = new LeaderLossDetector("127.0.0.1:1", CONFIGURED, FAST, timeouts::add,
            () -> members);
    private final List<FakeLeader> leaders = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws IOException, InterruptedException {
        detector.close();
        for (FakeLeader l : leaders) {
            l.close();
        }
    }

    @Test
    void aLeaderWhosePortClosesIsGoneAndTheNextLeaderRestoresTheTimeout() throws Exception {
        FakeLeader leader = leader();
        detector.onLeaderChange(3, Optional.of(leader.endpoint()));
        Socket watch = leader.nextConnection();

        leader.die(watch);

        await("lowered").atMost(Duration.ofSeconds(5)).until(() -> !timeouts.isEmpty());
        assertEquals(List.of(FAST), timeouts);
        assertEquals(1, detector.detections());
        // Between leaders nothing changes.
        detector.onLeaderChange(4, Optional.empty());
        assertEquals(List.of(FAST), timeouts);

        FakeLeader next = leader();
        detector.onLeaderChange(4, Optional.of(next.endpoint()));
        assertEquals(List.of(FAST, CONFIGURED), timeouts);
        next.nextConnection();
    }

    @Test
    void anIdleConnectionDroppedByALiveLeaderIsNotADeath() throws Exception {
        FakeLeader leader = leader();
        detector.onLeaderChange(3, Optional.of(leader.endpoint()));
        Socket first = leader.nextConnection();

        first.close();

        // The detector reconnects to the port that still listens, and lowers nothing.
        leader.nextConnection();
        assertEquals(List.of(), timeouts);
        assertEquals(0, detector.detections());
    }

    @Test
    void theLeaderItselfIsNotWatched() throws Exception {
        detector.onLeaderChange(3, Optional.of("127.0.0.1:1"));
        FakeLeader other = leader();
        detector.onLeaderChange(4, Optional.of(other.endpoint()));
        // Only the other member's port sees a connection; nothing was lowered on the way.
        other.nextConnection();
        assertEquals(List.of(), timeouts);
    }

    @Test
    void survivorsCampaignOneAfterAnotherInMemberOrder() {
        List<String> five = List.of("h:5", "h:1", "h:4", "h:2", "h:3");
        assertEquals(FAST, rankedTimeout("h:1", five, "h:2"));
        assertEquals(FAST + LeaderLossDetector.STAGGER_MS, rankedTimeout("h:3", five, "h:2"));
        assertEquals(FAST, rankedTimeout("h:3", List.of("h:1", "h:2", "h:3"), "h:1") - LeaderLossDetector.STAGGER_MS);
        // Never above the configured timeout, however many members.
        assertEquals(CONFIGURED, rankedTimeout("h:5", five, "h:2"));
    }

    private static int rankedTimeout(String self, List<String> members, String deadLeader) {
        return new LeaderLossDetector(self, CONFIGURED, FAST, t -> { }, () -> members).loweredTimeout(deadLeader);
    }

    private FakeLeader leader() throws IOException {
        FakeLeader l = new FakeLeader();
        leaders.add(l);
        members.add(l.endpoint());
        return l;
    }

    /**
     * A listening port that records the connections it accepts. Only the acceptor thread touches the
     * server socket: closed from another thread while accept() blocks, the JDK defers the close and the
     * port keeps accepting for a while, which a killed process's port never does.
     */
    private static final class FakeLeader implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final LinkedBlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
        private final Thread acceptor;
        private volatile boolean closing;

        FakeLeader() throws IOException {
            server.setSoTimeout(20);
            acceptor = new Thread(this::acceptUntilClosed, "fake-leader-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void acceptUntilClosed() {
            try (ServerSocket s = server) {
                while (!closing) {
                    try {
                        accepted.add(s.accept());
                    } catch (SocketTimeoutException poll) {
                        // look at closing again
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String endpoint() {
            return "127.0.0.1:" + server.getLocalPort();
        }

        Socket nextConnection() throws InterruptedException {
            Socket s = accepted.poll(10, TimeUnit.SECONDS);
            if (s == null) {
                throw new AssertionError("the detector did not connect to " + endpoint());
            }
            return s;
        }

        /** What the kernel does for a killed process: stop listening, close every connection. */
        void die(Socket... connections) throws IOException, InterruptedException {
            stopListening();
            for (Socket s : connections) {
                s.close();
            }
        }

        private void stopListening() throws InterruptedException {
            closing = true;
            acceptor.join(5_000);
        }

        @Override
        public void close() throws IOException, InterruptedException {
            stopListening();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }
}
