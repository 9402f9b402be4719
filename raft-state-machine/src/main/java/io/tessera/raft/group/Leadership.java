package io.tessera.raft.group;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this node knows about the leader, updated from jraft's state-machine callbacks (all on the FSM
 * thread, hence in order) and read from any thread. Listeners run on one event thread, never on the FSM
 * thread, so a slow listener cannot stall apply; the single thread keeps start/stop in order.
 */
final class Leadership {
    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

    /**
     * @param term latest term in which this node saw a leader (or led)
     * @param leader the known leader "host:port" (self when leading), null if none
     * @param ids non-null only while this node is the ready leader: the id source of its term
     */
    record State(long term, String leader, TermIds ids) {
        boolean selfLeader() {
            return ids != null;
        }
    }

    private final String self;
    private final ExecutorService events;
    // Both lists are touched on the event thread only.
    private final List<LeaderListener> leaderListeners = new ArrayList<>();
    private final List<LeaderChangeListener> changeListeners = new ArrayList<>();
    private volatile State state = new State(0, null, null);
    // Completed (and replaced) on every change; waiters take it BEFORE reading state so no change is missed.
    private final AtomicReference<CompletableFuture<Void>> changed = new AtomicReference<>(new CompletableFuture<>());
    private volatile boolean closed;
    // What the listeners have been told so far; read and written on the event thread only.
    private State delivered = new State(0, null, null);

    Leadership(String self, ExecutorService events) {
        this.self = self;
        this.events = events;
    }

    State state() {
        return state;
    }

    CompletableFuture<Void> nextChange() {
        return changed.get();
    }

    boolean closed() {
        return closed;
    }

    /**
     * Registration runs on the event thread, against the state the listeners have been told about so far:
     * a listener added while this node leads gets onLeaderStart(term) at once, exactly once.
     */
    void addLeaderListener(LeaderListener l) {
        onEventThread(() -> {
            leaderListeners.add(l);
            if (delivered.selfLeader()) {
                call(l, x -> x.onLeaderStart(delivered.term()));
            }
        });
    }

    /** Like addLeaderListener: a listener added after the first change hears the current state at once. */
    void addChangeListener(LeaderChangeListener l) {
        onEventThread(() -> {
            changeListeners.add(l);
            if (delivered.term() > 0) {
                call(l, x -> x.onLeaderChange(delivered.term(), Optional.ofNullable(delivered.leader())));
            }
        });
    }

    void leaderStart(long term) {
        TermIds ids;
        try {
            ids = new TermIds(term);
        } catch (IllegalArgumentException e) {
            LOG.error("leader of term {} cannot stamp ids, refusing proposals: {}", term, e.getMessage());
            ids = null;
        }
        LOG.info("{} leads term {}", self, term);
        update(new State(term, self, ids), Boolean.TRUE);
    }

    void leaderStop() {
        long term = state.term();
        LOG.info("{} stops leading term {}", self, term);
        update(new State(term, null, null), Boolean.FALSE);
    }

    void startFollowing(String leader, long term) {
        LOG.info("{} follows {} in term {}", self, leader, term);
        update(new State(term, leader, null), null);
    }

    void stopFollowing(String oldLeader, long term) {
        LOG.info("{} stops following {} (term {})", self, oldLeader, term);
        update(new State(Math.max(term, state.term()), null, null), null);
    }

    void close() {
        closed = true;
        changed.getAndSet(new CompletableFuture<>()).complete(null);
    }

    /** @param leaderEvent TRUE: this node starts leading, FALSE: stops leading, null: neither */
    private void update(State next, Boolean leaderEvent) {
        state = next;
        changed.getAndSet(new CompletableFuture<>()).complete(null);
        Optional<String> leader = Optional.ofNullable(next.leader());
        onEventThread(() -> {
            delivered = next;
            if (leaderEvent == Boolean.TRUE) {
                leaderListeners.forEach(l -> call(l, x -> x.onLeaderStart(next.term())));
            } else if (leaderEvent == Boolean.FALSE) {
                leaderListeners.forEach(l -> call(l, x -> x.onLeaderStop(next.term())));
            }
            changeListeners.forEach(l -> call(l, x -> x.onLeaderChange(next.term(), leader)));
        });
    }

    private void onEventThread(Runnable r) {
        try {
            events.execute(r);
        } catch (RejectedExecutionException e) {
            LOG.debug("{} closing, leadership event dropped", self);
        }
    }

    // Each listener guarded on its own: one failing listener must not starve the others of an event.
    private static <L> void call(L listener, Consumer<L> c) {
        try {
            c.accept(listener);
        } catch (RuntimeException e) {
            LOG.error("leadership listener {} failed", listener, e);
        }
    }
}
