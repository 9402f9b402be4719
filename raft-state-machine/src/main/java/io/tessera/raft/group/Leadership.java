package io.tessera.raft.group;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
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
    private final List<LeaderListener> leaderListeners = new CopyOnWriteArrayList<>();
    private final List<LeaderChangeListener> changeListeners = new CopyOnWriteArrayList<>();
    private volatile State state = new State(0, null, null);
    // Completed (and replaced) on every change; waiters take it BEFORE reading state so no change is missed.
    private final AtomicReference<CompletableFuture<Void>> changed = new AtomicReference<>(new CompletableFuture<>());
    private volatile boolean closed;

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

    void addLeaderListener(LeaderListener l) {
        leaderListeners.add(l);
    }

    void addChangeListener(LeaderChangeListener l) {
        changeListeners.add(l);
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
        update(new State(term, self, ids));
        dispatch(leaderListeners, l -> l.onLeaderStart(term));
    }

    void leaderStop() {
        long term = state.term();
        LOG.info("{} stops leading term {}", self, term);
        update(new State(term, null, null));
        dispatch(leaderListeners, l -> l.onLeaderStop(term));
    }

    void startFollowing(String leader, long term) {
        LOG.info("{} follows {} in term {}", self, leader, term);
        update(new State(term, leader, null));
    }

    void stopFollowing(String oldLeader, long term) {
        LOG.info("{} stops following {} (term {})", self, oldLeader, term);
        update(new State(Math.max(term, state.term()), null, null));
    }

    void close() {
        closed = true;
        changed.getAndSet(new CompletableFuture<>()).complete(null);
    }

    private void update(State next) {
        state = next;
        changed.getAndSet(new CompletableFuture<>()).complete(null);
        Optional<String> leader = Optional.ofNullable(next.leader());
        dispatch(changeListeners, l -> l.onLeaderChange(next.term(), leader));
    }

    // Each listener guarded on its own: one failing listener must not starve the others of an event.
    private <L> void dispatch(List<L> listeners, Consumer<L> call) {
        if (listeners.isEmpty()) {
            return;
        }
        try {
            events.execute(() -> {
                for (L l : listeners) {
                    try {
                        call.accept(l);
                    } catch (RuntimeException e) {
                        LOG.error("leadership listener {} failed", l, e);
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("{} closing, leadership event dropped", self);
        }
    }
}
