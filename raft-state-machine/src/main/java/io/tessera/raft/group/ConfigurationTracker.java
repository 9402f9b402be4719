package io.tessera.raft.group;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the group's current configuration (voters and learners) for readers on any thread and tells
 * listeners when it changes.
 *
 * <p>jraft has no callback for every configuration change ({@code onConfigurationCommitted} fires for the
 * joint stage only, without learners), so this re-reads jraft's configuration whenever something may
 * have changed it: an applied batch, a configuration entry committed, a snapshot loaded, a leadership
 * change, a change this member made itself. {@link #poke()} is cheap and coalesces: at most one re-read
 * is queued on the group's event thread (never jraft's FSM thread, which must not wait for jraft's node
 * lock). Listeners run on that event thread, in order. The group also pokes it every {@link #REREAD_MS}:
 * a follower learns of a new learner only from a log entry that jraft reports to nobody.
 */
final class ConfigurationTracker {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigurationTracker.class);
    /** Re-read at least this often, for changes no event announced (see RaftGroup). */
    static final long REREAD_MS = 1_000;

    private final String self;
    private final ExecutorService events;
    private final AtomicBoolean queued = new AtomicBoolean();
    // Event thread only.
    private final List<Consumer<GroupConfiguration>> listeners = new ArrayList<>();
    private volatile Supplier<GroupConfiguration> source;
    private volatile GroupConfiguration current;

    ConfigurationTracker(String self, ExecutorService events, GroupConfiguration initial) {
        this.self = self;
        this.events = events;
        this.current = initial;
    }

    /** Where the configuration is read from once the node runs (jraft's current configuration). */
    void attach(Supplier<GroupConfiguration> source) {
        this.source = source;
        current = source.get();
    }

    GroupConfiguration current() {
        return current;
    }

    /** A listener added later hears the current configuration at once. */
    void addListener(Consumer<GroupConfiguration> l) {
        run(() -> {
            listeners.add(l);
            call(l, current);
        });
    }

    /** Something may have changed the configuration: re-read it on the event thread (coalesced). */
    void poke() {
        if (source == null || !queued.compareAndSet(false, true)) {
            return;
        }
        run(() -> {
            queued.set(false);
            GroupConfiguration next = source.get();
            if (next == null || next.equals(current)) {
                return;
            }
            GroupConfiguration previous = current;
            current = next;
            LOG.info("{}: group configuration is now {} (was {})", self, next, previous);
            listeners.forEach(l -> call(l, next));
        });
    }

    private void run(Runnable r) {
        try {
            events.execute(r);
        } catch (RejectedExecutionException closing) {
            queued.set(false);
        }
    }

    private static void call(Consumer<GroupConfiguration> l, GroupConfiguration c) {
        try {
            l.accept(c);
        } catch (RuntimeException e) {
            LOG.error("configuration listener {} failed", l, e);
        }
    }
}
