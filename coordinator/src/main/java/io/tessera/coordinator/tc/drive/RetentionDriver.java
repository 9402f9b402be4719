package io.tessera.coordinator.tc.drive;

import io.tessera.coordinator.tc.port.TxLog;
import io.tessera.raft.group.LeaderListener;
import io.tessera.raft.group.ProposalOptions;
import io.tessera.raft.tx.TxCommands;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader-only: proposes the removal of ended records older than the retention period (PurgeEnded, at most
 * {@value #MAX_PER_ENTRY} per entry). The removal is a log entry like any other, applied on the apply
 * thread, which is also where snapshots are taken: it can never race a snapshot (the hazard of removing
 * sessions from a background thread while a snapshot iterates them). Parked globals (retry timeouts) are
 * live, not ended: retention never removes them.
 */
public final class RetentionDriver implements LeaderListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionDriver.class);
    static final int MAX_PER_ENTRY = 10_000;

    private final TxLog log;
    private final TxCommands commands;
    private final ScheduledExecutorService scheduler;
    private final long retentionMs;
    private final long intervalMs;
    private final long proposalTimeoutMs;
    private volatile long term = -1;
    private volatile ScheduledFuture<?> purger;

    public RetentionDriver(TxLog log, TxCommands commands, ScheduledExecutorService scheduler, long retentionMs,
            long intervalMs, long proposalTimeoutMs) {
        this.log = log;
        this.commands = commands;
        this.scheduler = scheduler;
        this.retentionMs = retentionMs;
        this.intervalMs = intervalMs;
        this.proposalTimeoutMs = proposalTimeoutMs;
    }

    @Override
    public void onLeaderStart(long newTerm) {
        term = newTerm;
        purger = scheduler.scheduleWithFixedDelay(() -> purge(newTerm), intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onLeaderStop(long oldTerm) {
        term = -1;
        ScheduledFuture<?> p = purger;
        if (p != null) {
            p.cancel(false);
        }
    }

    private void purge(long t) {
        if (term != t) {
            return;
        }
        log.propose(commands.purgeEnded(retentionMs, MAX_PER_ENTRY), ProposalOptions.once(proposalTimeoutMs))
                .whenComplete((o, e) -> {
                    if (e == null && o.count() > 0) {
                        LOG.info("removed {} ended transaction records older than {} ms", o.count(), retentionMs);
                    }
                });
    }

    @Override
    public void close() {
        onLeaderStop(term);
    }
}
