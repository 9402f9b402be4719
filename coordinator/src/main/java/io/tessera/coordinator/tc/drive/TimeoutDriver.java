package io.tessera.coordinator.tc.drive;

import io.tessera.codec.text.ClientText;
import io.tessera.coordinator.tc.port.TxLog;
import io.tessera.raft.group.LeaderListener;
import io.tessera.raft.group.ProposalOptions;
import io.tessera.raft.tx.GlobalTxRecord;
import io.tessera.raft.tx.TxCommands;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader-only (Seata's timeoutCheck): every {@code timeout-retry-period} proposes a timeout rollback for
 * each Begin transaction past its deadline (stamped by the leader at begin); apply checks the deadline
 * against the entry's own stamp. The phase-two driver then rolls them back.
 */
public final class TimeoutDriver implements LeaderListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TimeoutDriver.class);
    private static final int BATCH = 1_000;

    private final TxLog log;
    private final TxCommands commands;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final long periodMs;
    private final long proposalTimeoutMs;
    private final Set<String> proposing = ConcurrentHashMap.newKeySet();
    private volatile long term = -1;
    private volatile ScheduledFuture<?> checker;

    public TimeoutDriver(TxLog log, TxCommands commands, ScheduledExecutorService scheduler, Clock clock, long periodMs,
            long proposalTimeoutMs) {
        this.log = log;
        this.commands = commands;
        this.scheduler = scheduler;
        this.clock = clock;
        this.periodMs = periodMs;
        this.proposalTimeoutMs = proposalTimeoutMs;
    }

    @Override
    public void onLeaderStart(long newTerm) {
        term = newTerm;
        checker = scheduler.scheduleWithFixedDelay(() -> checkTimeouts(newTerm), periodMs, periodMs,
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void onLeaderStop(long oldTerm) {
        term = -1;
        ScheduledFuture<?> c = checker;
        if (c != null) {
            c.cancel(false);
        }
    }

    private void checkTimeouts(long t) {
        if (term != t) {
            return;
        }
        try {
            for (GlobalTxRecord g : log.view().expiredAt(clock.millis(), BATCH)) {
                if (term != t || !proposing.add(g.xid())) {
                    continue;
                }
                LOG.info("global transaction timed out after {} ms, rolling back: xid={} name={}",
                        g.timeoutMillis(), g.xid(), ClientText.of(g.name()));
                log.propose(commands.timeout(g.xid()), ProposalOptions.once(proposalTimeoutMs)).whenComplete((o, e) -> {
                    proposing.remove(g.xid());
                    if (e != null) {
                        LOG.warn("timeout rollback of xid {} not recorded yet: {}", g.xid(),
                                (e instanceof CompletionException && e.getCause() != null ? e.getCause() : e).toString());
                    }
                });
            }
        } catch (RuntimeException e) {
            LOG.warn("timeout check failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        onLeaderStop(term);
    }
}
