package io.tessera.raft.group;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
    private final LeaderLossDetector detector = new LeaderLossDetector("127.0.0.1:1", CONFIGURED, FAST, timeouts::add);
    private final List<FakeLeader> leaders = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws IOException {
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

        await().atMost(Duration.ofSeconds(5)).until(() -> timeouts.equals(List.of(FAST)));
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

    private FakeLeader leader() throws IOException {
        FakeLeader l = new FakeLeader();
        leaders.add(l);
        return l;
    }

    /** A listening port that records the connections it accepts. */
    private static final class FakeLeader implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final LinkedBlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
        private final Thread acceptor;

        FakeLeader() throws IOException {
            acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(server.accept());
                    }
                } catch (IOException closed) {
                    // server closed
                }
            }, "fake-leader-accept");
            acceptor.setDaemon(true);
            acceptor.start();
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
        void die(Socket... connections) throws IOException {
            server.close();
            for (Socket s : connections) {
                s.close();
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }
}
