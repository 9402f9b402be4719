package io.tessera.raft.group;

import com.alipay.sofa.jraft.Node;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a snapshot once {@code everyEntries} log entries have been applied since the last one, next to
 * jraft's own timer. Why: a restart replays every entry after the last snapshot before the node can
 * serve (a new leader starts its term only once it has applied them all), so a time-only interval lets
 * restart time grow with the traffic of that interval (~450,000 entries in an hour cost ~12 s). With this
 * trigger the replay is bounded by {@code everyEntries} whatever the load.
 *
 * <p>Indexes are jraft's: what jraft would replay on restart is everything after its snapshot's index.
 * {@link #applied} runs on the FSM thread; the snapshot is requested from a worker thread (jraft then
 * runs the save on the FSM thread itself). One request at a time; jraft refuses overlapping ones anyway.
 */
final class SnapshotTrigger {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotTrigger.class);

    private final String name;
    private final long everyEntries;
    private final Executor worker;
    private final AtomicBoolean requested = new AtomicBoolean();
    private volatile Node node;
    private volatile long lastSnapshotIndex;
    private volatile long lastApplied;

    /** @param everyEntries 0 or less: off */
    SnapshotTrigger(String name, long everyEntries, Executor worker) {
        this.name = name;
        this.everyEntries = everyEntries;
        this.worker = worker;
    }

    void attach(Node node) {
        this.node = node;
    }

    /** The FSM thread has gone through the log up to {@code index}. */
    void applied(long index) {
        lastApplied = index;
        Node n = node;
        if (everyEntries <= 0 || n == null || index - lastSnapshotIndex < everyEntries
                || !requested.compareAndSet(false, true)) {
            return;
        }
        long since = index - lastSnapshotIndex;
        try {
            worker.execute(() -> {
                LOG.info("{} snapshot: {} entries applied since the snapshot at index {} (raft.snapshot-log-entries {})",
                        name, since, lastSnapshotIndex, everyEntries);
                n.snapshot(st -> {
                    requested.set(false);
                    if (st.isOk()) {
                        // Entries applied while it was being taken may already call for the next one; at
                        // the end of a burst nothing else would ask.
                        applied(lastApplied);
                    } else {
                        LOG.warn("{} snapshot after {} entries not taken: {}", name, since, st);
                    }
                });
            });
        } catch (RejectedExecutionException closing) {
            requested.set(false);
        }
    }

    /** A snapshot at {@code index} was saved or loaded: count from there. */
    void snapshotAt(long index) {
        if (index > lastSnapshotIndex) {
            lastSnapshotIndex = index;
        }
    }

    long lastSnapshotIndex() {
        return lastSnapshotIndex;
    }
}
