package io.tessera.raft.group;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What this member's replication layer did, for monitoring: proposals in flight, drafts forwarded to the
 * leader, snapshots saved. Written by the group with one add or store each (no locks on the proposal
 * path); read on scrape from any thread.
 */
public final class GroupStats {
    private final LongAdder proposalsInFlight = new LongAdder();
    private final LongAdder proposals = new LongAdder();
    private final LongAdder forwarded = new LongAdder();
    private final LongAdder forwardedFailed = new LongAdder();
    private final LongAdder snapshotsSaved = new LongAdder();
    private final LongAdder snapshotsFailed = new LongAdder();
    private final LongAdder snapshotsLoaded = new LongAdder();
    private final AtomicLong lastSnapshotNanos = new AtomicLong();
    private final AtomicLong lastSnapshotBytes = new AtomicLong();
    private final AtomicLong lastSnapshotEpochMillis = new AtomicLong();

    void proposalStarted() {
        proposals.increment();
        proposalsInFlight.increment();
    }

    void proposalEnded() {
        proposalsInFlight.decrement();
    }

    void forwarded(boolean answered) {
        forwarded.increment();
        if (!answered) {
            forwardedFailed.increment();
        }
    }

    void snapshotSaved(long nanos, long bytes, long epochMillis) {
        snapshotsSaved.increment();
        lastSnapshotNanos.set(nanos);
        lastSnapshotBytes.set(bytes);
        lastSnapshotEpochMillis.set(epochMillis);
    }

    void snapshotFailed() {
        snapshotsFailed.increment();
    }

    void snapshotLoaded(long epochMillis) {
        snapshotsLoaded.increment();
        lastSnapshotEpochMillis.set(epochMillis);
    }

    /** Proposals (local and forwarded to here) waiting for their outcome. */
    public long proposalsInFlight() {
        return proposalsInFlight.sum();
    }

    /** Proposals started on this member since start (a forwarded one counts on the leader too). */
    public long proposals() {
        return proposals.sum();
    }

    /** Drafts this member forwarded to the leader (it was a follower), and how many got no answer. */
    public long forwarded() {
        return forwarded.sum();
    }

    public long forwardedFailed() {
        return forwardedFailed.sum();
    }

    public long snapshotsSaved() {
        return snapshotsSaved.sum();
    }

    public long snapshotsFailed() {
        return snapshotsFailed.sum();
    }

    public long snapshotsLoaded() {
        return snapshotsLoaded.sum();
    }

    /** How long the last snapshot save took (0: none yet). */
    public long lastSnapshotNanos() {
        return lastSnapshotNanos.get();
    }

    /** Size of the files of the last saved snapshot (0: none yet). */
    public long lastSnapshotBytes() {
        return lastSnapshotBytes.get();
    }

    /** Wall time of the last snapshot saved or loaded (0: none since start). */
    public long lastSnapshotEpochMillis() {
        return lastSnapshotEpochMillis.get();
    }
}
