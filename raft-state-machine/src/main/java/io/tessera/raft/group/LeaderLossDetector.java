package io.tessera.raft.group;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
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
 * more: the leader is dead, not slow or cut off. The follower then lowers its election timeout to
 * {@code fastTimeoutMs}. Every survivor does the same at the same instant, which matters twice in
 * jraft: a member grants a pre-vote only once its own lease on the old leader has expired, judged
 * against its own election timeout, so all leases must expire together; and the first candidate then
 * wins at once.
 *
 * <p>Who campaigns first is not left to jraft's random delay (up to a quarter of the configured timeout;
 * two followers that saw the death together would often start within one vote round of each other and
 * split the vote, which costs a whole configured timeout more, since jraft's vote timer keeps the
 * configured value). The survivors rank themselves alike (their order among the remaining members);
 * a member of rank r keeps restarting its own timer for r x {@link #STAGGER_MS} before it lets it run,
 * so it campaigns only if the ones before it could not (a log behind, or slow).
 *
 * <p>The configured timeout comes back as soon as jraft no longer names the dead leader: this member
 * started its own candidacy (before it becomes leader, so that its replicators keep the configured
 * heartbeat interval and lease for the term), another member's vote request reached it, or a new leader
 * is known.
 *
 * <p>With member TLS the watch connection is a TLS connection with the member's certificate (the raft
 * port refuses anything else). Only the TCP connect decides "refused": a handshake that fails or a TLS
 * session that ends is a connection that ended, like a closed plain one.
 *
 * <p>Anything less certain than a refused connection (a connect timeout, an unreachable host: a network
 * partition or a dead machine), or a refusal from a port this member never reached (a firewall, a wrong
 * advertised address), changes nothing; jraft's own election timeout handles those.
 *
 * <p>Threading: leader changes arrive on the group's event thread; one daemon thread per watched leader
 * blocks on its socket and, once the leader is gone, follows the election. {@code electionTimeout} is
 * called under this object's lock, never concurrently.
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
    /** Silence after which the watch connection sends a heartbeat (bolt closes connections idle for 90 s). */
    static final int KEEPALIVE_MS = 30_000;
    /** How often the election is looked at while the timeout is lowered. */
    private static final long POLL_MS = 5;

    private final String self;
    private final int configuredTimeoutMs;
    private final int fastTimeoutMs;
    private final IntConsumer electionTimeout;
    private final Supplier<List<String>> members;
    private final Supplier<String> jraftLeader;
    private final SocketLayer layer;
    private final int keepaliveMs;
    private final AtomicLong detections = new AtomicLong();
    private Watch watch;
    private boolean lowered;
    private boolean closed;

    /**
     * @param electionTimeout sets the node's election timeout and restarts its timer (jraft
     *     {@code Node::resetElectionTimeoutMs})
     * @param members the group's current members ("host:port" raft endpoints, this one included)
     * @param jraftLeader the leader jraft itself names right now ("host:port"), null for none
     */
    LeaderLossDetector(String self, int configuredTimeoutMs, int fastTimeoutMs, IntConsumer electionTimeout,
            Supplier<List<String>> members, Supplier<String> jraftLeader) {
        this(self, configuredTimeoutMs, fastTimeoutMs, electionTimeout, members, jraftLeader, SocketLayer.PLAIN,
                KEEPALIVE_MS);
    }

    /**
     * @param layer what runs over the connected watch socket (TLS with the member certificate, or nothing)
     * @param keepaliveMs silence after which the watch connection sends a heartbeat ({@link #KEEPALIVE_MS})
     */
    LeaderLossDetector(String self, int configuredTimeoutMs, int fastTimeoutMs, IntConsumer electionTimeout,
            Supplier<List<String>> members, Supplier<String> jraftLeader, SocketLayer layer, int keepaliveMs) {
        this.self = self;
        this.layer = layer;
        this.keepaliveMs = keepaliveMs;
        this.configuredTimeoutMs = configuredTimeoutMs;
        this.fastTimeoutMs = fastTimeoutMs;
        this.electionTimeout = electionTimeout;
        this.members = members;
        this.jraftLeader = jraftLeader;
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
        restore("leader " + leaderEndpoint.get() + " known (term " + term + ")");
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

    /** True while the watch connection to the leader is up (TLS: handshake done); for tests. */
    synchronized boolean connected() {
        return watch != null && watch.established;
    }

    /** The leader being watched, if any (for tests). */
    synchronized Optional<String> watched() {
        return watch == null ? Optional.empty() : Optional.of(watch.leader);
    }

    /**
     * Lowers the timeout if {@code w} is still the current watch and jraft still follows its leader (an
     * event about a newer leader may still be on its way here); returns this member's rank, or -1.
     */
    private synchronized int leaderGone(Watch w) {
        if (closed || watch != w || lowered || !w.leader.equals(jraftLeader.get())) {
            return -1;
        }
        lowered = true;
        detections.incrementAndGet();
        int rank = rank(w.leader);
        LOG.warn("{}: leader {} (term {}) is gone (its raft port refuses connections); election timeout {} ms, "
                + "campaigning after {} ms (rank {}), until the election is under way", self, w.leader, w.term,
                fastTimeoutMs, (long) rank * STAGGER_MS, rank);
        electionTimeout.accept(fastTimeoutMs);
        return rank;
    }

    /** Restarts the lowered timer, keeping this member from campaigning yet; false once no longer lowered. */
    private synchronized boolean holdBack(Watch w) {
        if (closed || watch != w || !lowered) {
            return false;
        }
        electionTimeout.accept(fastTimeoutMs);
        return true;
    }

    private synchronized void restore(String why) {
        if (lowered) {
            lowered = false;
            electionTimeout.accept(configuredTimeoutMs);
            LOG.info("{}: {}, election timeout back to {} ms", self, why, configuredTimeoutMs);
        }
    }

    /** This member's place among the survivors of {@code deadLeader}, sorted; all survivors agree on it. */
    int rank(String deadLeader) {
        List<String> survivors = new ArrayList<>(members.get());
        survivors.remove(deadLeader);
        Collections.sort(survivors);
        int rank = survivors.indexOf(self);
        return rank < 0 ? survivors.size() : rank;
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
        private boolean handshakeWarned;
        private volatile boolean established;

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
            try {
                if (watchUntilRefused()) {
                    int rank = leaderGone(this);
                    if (rank >= 0) {
                        followElection(rank);
                    }
                }
            } catch (InterruptedException stop) {
                // stopped
            } catch (RuntimeException e) {
                LOG.warn("{}: watching leader {} failed; dead-leader detection is off for term {}", self, leader,
                        term, e);
            }
        }

        /** True once the leader's port refused a connection after it had accepted one; false if stopped. */
        private boolean watchUntilRefused() throws InterruptedException {
            boolean reachedOnce = false;
            boolean warned = false;
            int shortInARow = 0;
            while (!stopped) {
                Socket s = new Socket();
                socket = s;
                try {
                    if (stopped) {
                        return false;
                    }
                    // Resolved at every attempt: a host name may come to resolve later.
                    s.connect(address(leader), CONNECT_TIMEOUT_MS);
                } catch (ConnectException refused) {
                    closeQuietly(s);
                    if (reachedOnce) {
                        return !stopped;
                    }
                    if (!warned) {
                        warned = true;
                        LOG.warn("{}: leader {} refuses this member's connections (firewall, or a different "
                                + "advertised address?); dead-leader detection waits until it can reach it", self,
                                leader);
                    }
                    pause();
                    continue;
                } catch (IOException unreachable) {
                    closeQuietly(s);
                    pause();
                    continue;
                }
                reachedOnce = true;
                long opened = System.nanoTime();
                Socket session = secure(s);
                if (session != null) {
                    socket = session;
                    if (stopped) {
                        closeQuietly(session);
                        return false;
                    }
                    established = true;
                    drain(session);
                    established = false;
                }
                // The connection ended: the leader's process died, or its server dropped an idle peer
                // (bolt does after a while). The next connect tells which, at once. A connect can still
                // succeed while a dying process closes its sockets (the listener goes last), and such a
                // connection ends at once too, so only several short ones in a row mean a server that
                // keeps dropping us: then pause, it must not become a busy loop.
                shortInARow = System.nanoTime() - opened < SHORT_LIVED_NS ? shortInARow + 1 : 0;
                if (shortInARow >= SHORT_LIVED_LIMIT) {
                    pause();
                }
            }
            return false;
        }

        /**
         * The connected socket with the transport's layer on it (TLS: handshake done), or null if that
         * failed; the connection then counts as one that ended (the port is served, so not a death).
         */
        private Socket secure(Socket connected) {
            try {
                return layer.over(connected, host(leader), port(leader));
            } catch (IOException e) {
                closeQuietly(connected);
                // A peer that just closes (a dying leader's last accepted connection) is no TLS problem.
                if (!handshakeWarned && !stopped && !closedByPeer(e)) {
                    handshakeWarned = true;
                    LOG.warn("{}: leader {} accepted this member's watch connection but the TLS handshake failed ({}); "
                            + "retrying, dead-leader detection still works by refused connections", self, leader,
                            RefusalLog.reason(e));
                }
                return null;
            }
        }

        /**
         * Holds this member back for its rank's share of time (restarting its lowered timer before it can
         * fire), then waits until jraft no longer names the dead leader and restores the timeout.
         */
        private void followElection(int rank) throws InterruptedException {
            long holdUntil = System.nanoTime() + rank * STAGGER_MS * 1_000_000L;
            long nextHold = System.nanoTime() + fastTimeoutMs / 2 * 1_000_000L;
            while (!stopped) {
                Thread.sleep(POLL_MS);
                String now = jraftLeader.get();
                if (!leader.equals(now)) {
                    restore(now == null ? "election under way" : "jraft follows " + now);
                    return;
                }
                long t = System.nanoTime();
                if (t < holdUntil && t >= nextHold) {
                    if (!holdBack(this)) {
                        return;
                    }
                    nextHold = t + fastTimeoutMs / 2 * 1_000_000L;
                }
            }
        }

        /**
         * Blocks until the connection ends. Every {@code keepaliveMs} of silence it sends a bolt
         * heartbeat, which the leader's RPC server answers: without traffic the server closes the
         * connection as idle after 90 s (with a warning in its log each time).
         */
        private void drain(Socket s) {
            try (InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                s.setSoTimeout(keepaliveMs);
                byte[] buf = new byte[256];
                int requestId = 0;
                while (!stopped) {
                    try {
                        if (in.read(buf) < 0) {
                            return;
                        }
                        // Heartbeat answers; anything read is ignored.
                    } catch (SocketTimeoutException quiet) {
                        out.write(boltHeartbeat(++requestId));
                        out.flush();
                    }
                }
            } catch (IOException ended) {
                // Reset or closed by stop(): same as end of stream.
            } finally {
                closeQuietly(s);
            }
        }

        private void pause() throws InterruptedException {
            Thread.sleep(RETRY_PAUSE_MS);
        }
    }

    /**
     * A bolt RPC protocol v1 heartbeat request (22-byte header, no class, header or content): protocol
     * 1, type 1 = request, command code 0 = heartbeat, version 1, request id, codec 1, timeout.
     */
    static byte[] boltHeartbeat(int requestId) {
        return ByteBuffer.allocate(22).put((byte) 1).put((byte) 1).putShort((short) 0).put((byte) 1)
                .putInt(requestId).put((byte) 1).putInt(KEEPALIVE_MS).putShort((short) 0).putShort((short) 0)
                .putInt(0).array();
    }

    private static InetSocketAddress address(String endpoint) {
        return new InetSocketAddress(host(endpoint), port(endpoint));
    }

    private static String host(String endpoint) {
        String host = endpoint.substring(0, endpoint.lastIndexOf(':'));
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host;
    }

    private static int port(String endpoint) {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }

    private static boolean closedByPeer(IOException e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof java.io.EOFException || c instanceof java.net.SocketException) {
                return true;
            }
        }
        return false;
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
