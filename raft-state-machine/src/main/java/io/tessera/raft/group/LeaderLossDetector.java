package io.tessera.raft.group;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices at once that the leader's process is gone, instead of waiting a whole election timeout for
 * heartbeats that will never come.
 *
 * <p>A follower keeps one idle TCP connection to the leader's raft port. When it ends (the kernel closes
 * a killed process's sockets) and a new connection is <em>refused</em>, nobody listens on that port any
 * more: the leader is dead, not slow or cut off. The follower then lowers its election timeout, so it
 * campaigns a few hundred milliseconds later; the other followers lower theirs the same way and so grant
 * the pre-vote (a leader lease is judged against the lowered timeout). The configured timeout comes back
 * as soon as any leader is known again.
 *
 * <p>Every follower sees the death at the same instant, and jraft's random delay (up to a quarter of the
 * configured timeout) would often start two candidacies within one vote round of each other: a split
 * vote, which costs a whole configured timeout more. So the lowered timeouts are staggered by a rank all
 * survivors compute alike (their order among the remaining members): the first campaigns after
 * {@code fastTimeoutMs}, the next {@link #STAGGER_MS} later - it wins only if the first cannot (its log
 * is behind, or it is slow).
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
    private static final int SHORT_LIVED_LIMIT = 3;
    /** More than jraft's random election delay plus a pre-vote and vote round on a loaded host. */
    static final int STAGGER_MS = 400;

    private final String self;
    private final int configuredTimeoutMs;
    private final int fastTimeoutMs;
    private final IntConsumer electionTimeout;
    private final Supplier<List<String>> members;
    private final AtomicLong detections = new AtomicLong();
    private Watch watch;
    private boolean lowered;
    private boolean closed;

    /**
     * @param electionTimeout sets the node's election timeout and restarts its timer (jraft
     *     {@code Node::resetElectionTimeoutMs})
     * @param members the group's current members ("host:port" raft endpoints, this one included)
     */
    LeaderLossDetector(String self, int configuredTimeoutMs, int fastTimeoutMs, IntConsumer electionTimeout,
            Supplier<List<String>> members) {
        this.self = self;
        this.members = members;
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
        int timeout = loweredTimeout(w.leader);
        LOG.warn("{}: leader {} (term {}) is gone (its raft port refuses connections); election timeout {} ms "
                + "until a leader is known", self, w.leader, w.term, timeout);
        electionTimeout.accept(timeout);
    }

    /** {@code fastTimeoutMs} staggered by this member's rank among the survivors, never above the configured. */
    int loweredTimeout(String deadLeader) {
        List<String> survivors = new ArrayList<>(members.get());
        survivors.remove(deadLeader);
        Collections.sort(survivors);
        int rank = survivors.indexOf(self);
        if (rank < 0) {
            rank = survivors.size();
        }
        return (int) Math.min(configuredTimeoutMs, fastTimeoutMs + (long) rank * STAGGER_MS);
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
            int shortInARow = 0;
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
                // (bolt does after a while). The next connect tells which, at once. A connect can still
                // succeed while a dying process closes its sockets (the listener goes last), and such a
                // connection ends at once too, so only several short ones in a row mean a server that
                // keeps dropping us: then pause, it must not become a busy loop.
                shortInARow = System.nanoTime() - opened < SHORT_LIVED_NS ? shortInARow + 1 : 0;
                if (shortInARow >= SHORT_LIVED_LIMIT && !pause()) {
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
