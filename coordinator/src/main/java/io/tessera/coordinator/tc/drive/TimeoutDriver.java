package io.tessera.coordinator.tc;

import io.tessera.codec.text.ClientText;
import io.tessera.raft.group.LeaderListener;
import io.tessera.raft.tx.GlobalTxRecord;
import io.tessera.raft.tx.TxCommands;
import io.tessera.raft.tx.TxView;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader-only: proposes a timeout rollback for every Begin transaction past its deadline (the
 * deadline was stamped by the leader at begin), and periodically the removal of ended records older
 * than the retention period. The phase-two driver then rolls the timed-out transactions back.
 */
public final class TimeoutDriver implements LeaderListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TimeoutDriver.class);
    private static final int BATCH = 1_000;

    private final Proposer proposer;
    private final TxView view;
    private final TxCommands commands;
    private final ScheduledExecutorService scheduler;
    private final TcOptions options;
    private final Clock clock;
    private final Set<String> proposing = ConcurrentHashMap.newKeySet();
    private volatile long term = -1;
    private volatile ScheduledFuture<?> checker;
    private volatile ScheduledFuture<?> purger;

    public TimeoutDriver(Proposer proposer, TxView view, TxCommands commands, ScheduledExecutorService scheduler,
            TcOptions options, Clock clock) {
        this.proposer = proposer;
        this.view = view;
        this.commands = commands;
        this.scheduler = scheduler;
        this.options = options;
        this.clock = clock;
    }

    @Override
    public void onLeaderStart(long newTerm) {
        term = newTerm;
        checker = scheduler.scheduleWithFixedDelay(() -> checkTimeouts(newTerm), options.timeoutCheckMs(),
                options.timeoutCheckMs(), TimeUnit.MILLISECONDS);
        purger = scheduler.scheduleWithFixedDelay(() -> purge(newTerm), options.purgeIntervalMs(),
                options.purgeIntervalMs(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void onLeaderStop(long oldTerm) {
        term = -1;
        cancel(checker);
        cancel(purger);
    }

    private void checkTimeouts(long t) {
        if (term != t) {
            return;
        }
        try {
            for (GlobalTxRecord g : view.expiredAt(clock.millis(), BATCH)) {
                if (term != t || !proposing.add(g.xid())) {
                    continue;
                }
                LOG.info("global transaction timed out after {} ms, rolling back: xid={} name={}",
                        g.timeoutMillis(), g.xid(), ClientText.of(g.name()));
                proposer.propose(commands.timeout(g.xid())).whenComplete((o, e) -> {
                    proposing.remove(g.xid());
                    if (e != null) {
                        LOG.warn("timeout rollback of xid {} not recorded yet: {}", g.xid(), Proposer.unwrap(e).toString());
                    }
                });
            }
        } catch (RuntimeException e) {
            LOG.warn("timeout check failed: {}", e.toString());
        }
    }

    private void purge(long t) {
        if (term != t) {
            return;
        }
        proposer.propose(commands.purgeEnded(options.endedRetentionMs(), 10_000)).whenComplete((o, e) -> {
            if (e == null && o.count() > 0) {
                LOG.info("removed {} ended transaction records older than {} ms", o.count(), options.endedRetentionMs());
            }
        });
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    @Override
    public void close() {
        onLeaderStop(term);
    }
}
