package io.tessera.coordinator.membership;

import io.tessera.raft.group.RaftGroup;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node does before it closes its ports on a planned stop (SIGTERM), so that clients see a leader
 * change and no failed request:
 *
 * <ol>
 *   <li>A leader hands leadership to the voter furthest ahead (jraft's TimeoutNow: the successor campaigns
 *       at once, no election timeout). The registry releases the clients' watches on the leader change;
 *       they re-read the metadata and send new requests to the successor.</li>
 *   <li>The node keeps serving until the requests it holds are answered (a follower forwards them to the
 *       new leader) and no new request has arrived for {@link #QUIET_MS} (the clients have moved), at
 *       most {@code drainTimeoutMs}.</li>
 *   <li>Only then the caller closes the ports and the group.</li>
 * </ol>
 *
 * Blocking and bounded: it runs on the shutdown thread, which has nothing else to do.
 */
public final class GracefulStop {
    private static final Logger LOG = LoggerFactory.getLogger(GracefulStop.class);
    /** No new request for this long, and none in flight: the clients have moved to the new leader. */
    static final long QUIET_MS = 500;
    private static final long POLL_MS = 20;

    private final RaftGroup group;
    private final IntSupplier inFlight;
    private final LongSupplier received;
    private final long transferTimeoutMs;
    private final long drainTimeoutMs;

    /**
     * @param inFlight transactional requests received and not answered yet
     * @param received client requests received so far (to see new ones arrive)
     */
    public GracefulStop(RaftGroup group, IntSupplier inFlight, LongSupplier received, long transferTimeoutMs,
            long drainTimeoutMs) {
        this.group = group;
        this.inFlight = inFlight;
        this.received = received;
        this.transferTimeoutMs = transferTimeoutMs;
        this.drainTimeoutMs = drainTimeoutMs;
    }

    public void run() {
        handOverLeadership();
        drain();
    }

    private void handOverLeadership() {
        if (!group.isLeader() || group.configuration().voters().size() < 2) {
            return;
        }
        long start = System.nanoTime();
        try {
            String to = group.transferLeadershipToBest(transferTimeoutMs).get(transferTimeoutMs + 1_000,
                    TimeUnit.MILLISECONDS);
            LOG.info("graceful stop: leadership handed to {} in {} ms", to,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("graceful stop: could not hand leadership over ({}); stopping as leader, the others elect a new one",
                    MembershipService.root(e).getMessage());
        }
    }

    private void drain() {
        if (drainTimeoutMs <= 0) {
            return;
        }
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(drainTimeoutMs);
        long lastSeen = received.getAsLong();
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long now = System.nanoTime();
            long seen = received.getAsLong();
            if (seen != lastSeen || inFlight.getAsInt() > 0) {
                lastSeen = seen;
                quietSince = now;
            } else if (now - quietSince >= TimeUnit.MILLISECONDS.toNanos(QUIET_MS)) {
                LOG.info("graceful stop: no request in flight and none new for {} ms (drained in {} ms); "
                        + "closing the ports", QUIET_MS, TimeUnit.NANOSECONDS.toMillis(now - start));
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_MS));
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
        LOG.warn("graceful stop: still {} requests in flight or clients still sending after {} ms "
                + "(shutdown.drain-timeout-ms); closing the ports anyway", inFlight.getAsInt(), drainTimeoutMs);
    }
}
