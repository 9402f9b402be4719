package io.tessera.raft.group;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices at once that the leader's process is gone, instead of waiting a whole election timeout for
 * heartbeats that will never come.
 *
 * <p>A follower keeps one idle TCP connection to the leader's raft port. When it ends (the kernel closes
 * a killed process's sockets) and a new connection is <em>refused</em>, nobody listens on that port any
 * more: the leader is dead, not slow or cut off. The follower then lowers its election timeout to
 * {@code fastTimeoutMs}, so it campaigns a few hundred milliseconds later; the other follower lowers its
 * own the same way and so grants the pre-vote (its leader lease is judged against the lowered timeout).
 * The configured timeout comes back as soon as any leader is known again.
 *
 * <p>Anything less certain than a refused connection (a connect timeout, an unreachable host: a network
 * partition or a dead machine) changes nothing; jraft's own election timeout handles those, so this
 * never starts an election Raft would not have started a little later anyway.
 *
 * <p>Threading: leader changes arrive on the group's event thread; one daemon thread per watched leader
 * blocks on its socket. {@code electionTimeout} is called from either, never concurrently (this lock).
 */
final class LeaderLossDetector implements LeaderChangeListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderLossDetector.class);
    private static final int CONNECT_TIMEOUT_MS = 500;
    /** Pause before reconnecting when the leader's port could not be reached for a reason other than refusal. */
    private static final long RETRY_PAUSE_MS = 1000;
    private static final long SHORT_LIVED_NS = 200_000_000L;

    private final String self;
    private final int configuredTimeoutMs;
    private final int fastTimeoutMs;
    private final IntConsumer electionTimeout;
    private final AtomicLong detections = new AtomicLong();
    private Watch watch;
    private boolean lowered;
    private boolean closed;

    /**
     * @param electionTimeout sets the node's election timeout and restarts its timer (jraft
     *     {@code Node::resetElectionTimeoutMs})
     */
    LeaderLossDetector(String self, int configuredTimeoutMs, int fastTimeoutMs, IntConsumer electionTimeout) {
        this.self = self;
        this.configuredTimeoutMs = configuredTimeoutMs;
        this.fastTimeoutMs = fastTimeoutMs;
        this.electionTimeout = electionTimeout;
    }

    @Override
    public synchronized void onLeaderChange(long term, Optional<String> leaderEndpoint) {
        if (closed) {
            return;
        }
        if (leaderEndpoint.isEmpty()) {
            // Between leaders: keep watching the old one (its death may be what is happening right now).
            return;
        }
        if (lowered) {
            lowered = false;
            electionTimeout.accept(configuredTimeoutMs);
            LOG.info("{}: leader {} known (term {}), election timeout back to {} ms", self, leaderEndpoint.get(),
                    term, configuredTimeoutMs);
        }
        String leader = leaderEndpoint.get();
        if (watch != null && watch.leader.equals(leader) && watch.term == term) {
            return;
        }
        stopWatch();
        if (!leader.equals(self)) {
            watch = new Watch(leader, term);
            watch.start();
        }
    }

    /** How many times a dead leader was detected (and the election timeout lowered) since start. */
    long detections() {
        return detections.get();
    }

    private synchronized void leaderGone(Watch w) {
        if (closed || watch != w || lowered) {
            return;
        }
        lowered = true;
        detections.incrementAndGet();
        LOG.warn("{}: leader {} (term {}) is gone (its raft port refuses connections); election timeout {} ms "
                + "until a leader is known", self, w.leader, w.term, fastTimeoutMs);
        electionTimeout.accept(fastTimeoutMs);
    }

    private void stopWatch() {
        if (watch != null) {
            watch.stop();
            watch = null;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        stopWatch();
    }

    /** One leader (of one term) watched from one thread. */
    private final class Watch implements Runnable {
        final String leader;
        final long term;
        private final Thread thread;
        private volatile boolean stopped;
        private volatile Socket socket;

        Watch(String leader, long term) {
            this.leader = leader;
            this.term = term;
            this.thread = new Thread(this, "tessera-leader-watch-" + self);
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() {
            stopped = true;
            closeQuietly(socket);
            thread.interrupt();
        }

        @Override
        public void run() {
            InetSocketAddress address = address(leader);
            while (!stopped) {
                Socket s = new Socket();
                socket = s;
                try {
                    if (stopped) {
                        return;
                    }
                    s.connect(address, CONNECT_TIMEOUT_MS);
                } catch (ConnectException refused) {
                    closeQuietly(s);
                    if (!stopped) {
                        leaderGone(this);
                    }
                    return;
                } catch (IOException unreachable) {
                    closeQuietly(s);
                    if (!pause()) {
                        return;
                    }
                    continue;
                }
                long opened = System.nanoTime();
                drain(s);
                // The connection ended: the leader's process died, or its server dropped an idle peer
                // (bolt does after a while). The next connect tells which, at once - unless connections
                // keep ending as soon as they open, which must not become a busy loop.
                if (System.nanoTime() - opened < SHORT_LIVED_NS && !pause()) {
                    return;
                }
            }
        }

        private void drain(Socket s) {
            try (InputStream in = s.getInputStream()) {
                byte[] buf = new byte[256];
                while (!stopped && in.read(buf) >= 0) {
                    // The leader never writes to this connection; anything read is ignored.
                }
            } catch (IOException ended) {
                // Reset or closed by stop(): same as end of stream.
            } finally {
                closeQuietly(s);
            }
        }

        private boolean pause() {
            try {
                Thread.sleep(RETRY_PAUSE_MS);
                return !stopped;
            } catch (InterruptedException e) {
                return false;
            }
        }
    }

    private static InetSocketAddress address(String endpoint) {
        int colon = endpoint.lastIndexOf(':');
        return new InetSocketAddress(endpoint.substring(0, colon), Integer.parseInt(endpoint.substring(colon + 1)));
    }

    private static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing only
            }
        }
    }
}
