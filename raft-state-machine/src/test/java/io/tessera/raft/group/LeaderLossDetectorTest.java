package io.tessera.raft.group;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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
    /**
     * Members by raft endpoint. "127.0.0.1:1" (this member), "127.0.0.1:2" and "127.0.0.0:9" are names
     * only, never bound or connected to; every port a test connects to is an ephemeral FakeLeader port.
     */
    private final List<String> members = new CopyOnWriteArrayList<>(List.of("127.0.0.1:1"));
    /** What jraft itself names as leader; the tests move it as jraft would. */
    private final AtomicReference<String> jraftLeader = new AtomicReference<>();
    private final LeaderLossDetector detector = new LeaderLossDetector("127.0.0.1:1", CONFIGURED, FAST, timeouts::add,
            () -> members, jraftLeader::get);
    private final List<FakeLeader> leaders = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws IOException, InterruptedException {
        detector.close();
        for (FakeLeader l : leaders) {
            l.close();
        }
    }

    @Test
    void aLeaderWhosePortClosesIsGoneUntilTheElectionIsUnderWay() throws Exception {
        FakeLeader leader = follow(3, leader());
        Socket watch = leader.nextConnection();

        leader.die(watch);

        await("lowered").atMost(Duration.ofSeconds(5)).until(() -> !timeouts.isEmpty());
        assertEquals(List.of(FAST), timeouts);
        assertEquals(1, detector.detections());
        // jraft's own timer fired (it names no leader any more): the candidacy runs, the timeout comes back.
        jraftLeader.set(null);
        await("restored").atMost(Duration.ofSeconds(5)).until(() -> timeouts.size() == 2);
        assertEquals(List.of(FAST, CONFIGURED), timeouts);
        // Between leaders, and once the next one is known, nothing changes any more.
        detector.onLeaderChange(4, Optional.empty());
        FakeLeader next = follow(4, leader());
        next.nextConnection();
        assertEquals(List.of(FAST, CONFIGURED), timeouts);
    }

    @Test
    void aNewLeaderKnownBeforeTheElectionWasSeenRestoresTheTimeout() throws Exception {
        FakeLeader leader = follow(3, leader());
        leader.die(leader.nextConnection());
        await("lowered").atMost(Duration.ofSeconds(5)).until(() -> !timeouts.isEmpty());

        follow(4, leader());

        assertEquals(List.of(FAST, CONFIGURED), timeouts);
    }

    @Test
    void aLaterMemberHoldsItsCandidacyBackForItsRank() throws Exception {
        members.add("127.0.0.0:9"); // sorts first: this member ranks second among the survivors
        FakeLeader leader = follow(3, leader());
        leader.die(leader.nextConnection());

        // It keeps restarting its lowered timer for one stagger, then lets it run.
        await("held back").atMost(Duration.ofSeconds(5)).until(() -> timeouts.size() >= 3);
        await("let run").atMost(Duration.ofSeconds(5)).during(Duration.ofMillis(300))
                .until(() -> timeouts.stream().allMatch(t -> t == FAST));
        int held = timeouts.size();
        assertTrue(held <= 2 + LeaderLossDetector.STAGGER_MS / (FAST / 2), "restarts bounded by the stagger: " + held);
        jraftLeader.set("127.0.0.0:9");
        await("restored").atMost(Duration.ofSeconds(5)).until(() -> timeouts.get(timeouts.size() - 1) == CONFIGURED);
    }

    @Test
    void aRefusalIsIgnoredWhileJraftAlreadyFollowsAnotherLeader() throws Exception {
        FakeLeader leader = follow(3, leader());
        Socket watch = leader.nextConnection();
        jraftLeader.set("127.0.0.1:2"); // the news of leader 2 is still on its way to the detector

        leader.die(watch);

        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(timeouts::isEmpty);
        assertEquals(0, detector.detections());
    }

    @Test
    void aPortThatNeverAcceptedThisMemberIsNotADeath() throws Exception {
        FakeLeader unreachable = leader();
        unreachable.die();
        follow(3, unreachable);

        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(timeouts::isEmpty);
        assertEquals(0, detector.detections());
    }

    @Test
    void anIdleConnectionDroppedByALiveLeaderIsNotADeath() throws Exception {
        FakeLeader leader = follow(3, leader());
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
        assertEquals(Optional.empty(), detector.watched());
        FakeLeader other = follow(4, leader());
        assertEquals(Optional.of(other.endpoint()), detector.watched());
        other.nextConnection();
        assertEquals(List.of(), timeouts);
    }

    @Test
    void aRaftPortAnswersTheKeepaliveHeartbeat(@TempDir Path dir) throws Exception {
        // Against a real member's bolt server: the frame must be one it answers, not one it rejects.
        try (TestCluster c = new TestCluster(dir, 1).startAll();
                Socket s = new Socket(InetAddress.getLoopbackAddress(), port(c.endpoint(0)))) {
            s.setSoTimeout(10_000);
            for (int id = 41; id <= 42; id++) {
                s.getOutputStream().write(LeaderLossDetector.boltHeartbeat(id));
                byte[] answer = s.getInputStream().readNBytes(20);
                ByteBuffer b = ByteBuffer.wrap(answer);
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

    private static int port(String endpoint) {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }

    @Test
    void survivorsRankThemselvesAlikeInMemberOrder() {
        List<String> five = List.of("h:5", "h:1", "h:4", "h:2", "h:3");
        assertEquals(0, rank("h:1", five, "h:2"));
        assertEquals(1, rank("h:3", five, "h:2"));
        assertEquals(3, rank("h:5", five, "h:2"));
        assertEquals(1, rank("h:3", List.of("h:1", "h:2", "h:3"), "h:1"));
    }

    private static int rank(String self, List<String> members, String deadLeader) {
        return new LeaderLossDetector(self, CONFIGURED, FAST, t -> { }, () -> members, () -> null).rank(deadLeader);
    }

    /** jraft follows {@code l}, and the detector hears of it. */
    private FakeLeader follow(long term, FakeLeader l) {
        jraftLeader.set(l.endpoint());
        detector.onLeaderChange(term, Optional.of(l.endpoint()));
        return l;
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
