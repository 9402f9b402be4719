package io.tessera.coordinator.tc.drive;

import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.UndoLogDeleteRequest;
import io.tessera.coordinator.config.NodeConfig;
import io.tessera.coordinator.tc.port.AtResources;
import io.tessera.coordinator.tc.port.UndoLogTargets;
import io.tessera.raft.group.LeaderListener;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader-only (Seata's undoLogDelete): {@value #INITIAL_DELAY_MS} ms after this node starts leading and
 * then every {@code undo-log-delete-period}, sends UndoLogDeleteRequest (type 111, oneway, branchType AT,
 * saveDays = {@code undo-log-save-days}) on one live connection per AT resourceId, so each AT resource
 * manager deletes undo-log rows older than that. Not state: nothing is proposed.
 */
public final class UndoLogDeleteDriver implements LeaderListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UndoLogDeleteDriver.class);
    /** Seata's UNDO_LOG_DELAY_DELETE_PERIOD. */
    static final long INITIAL_DELAY_MS = 3 * 60 * 1_000L;

    private final UndoLogTargets targets;
    private final AtResources atResources;
    private final ScheduledExecutorService scheduler;
    private final short saveDays;
    private final long periodMs;
    private volatile long term = -1;
    private volatile ScheduledFuture<?> task;

    public UndoLogDeleteDriver(UndoLogTargets targets, AtResources atResources, ScheduledExecutorService scheduler,
            NodeConfig.Recovery recovery) {
        this.targets = targets;
        this.atResources = atResources;
        this.scheduler = scheduler;
        this.saveDays = (short) recovery.undoLogSaveDays();
        this.periodMs = recovery.undoLogDeletePeriodMs();
    }

    @Override
    public void onLeaderStart(long newTerm) {
        term = newTerm;
        task = scheduler.scheduleAtFixedRate(() -> broadcast(newTerm), INITIAL_DELAY_MS, periodMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onLeaderStop(long oldTerm) {
        term = -1;
        ScheduledFuture<?> f = task;
        if (f != null) {
            f.cancel(false);
        }
    }

    private void broadcast(long t) {
        if (term != t) {
            return;
        }
        try {
            Set<String> resources = new TreeSet<>(atResources.snapshot());
            resources.retainAll(targets.connectedResources());
            if (resources.isEmpty()) {
                LOG.debug("undo-log delete: no AT resource manager connected");
                return;
            }
            int sent = 0;
            for (String resourceId : resources) {
                if (targets.sendToOne(new UndoLogDeleteRequest(BranchType.AT, resourceId, saveDays))) {
                    sent++;
                }
            }
            LOG.info("undo-log delete sent to {} of {} AT resource(s) (undo logs older than {} days)", sent,
                    resources.size(), saveDays);
        } catch (RuntimeException e) {
            LOG.warn("undo-log delete broadcast failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        onLeaderStop(term);
    }
}
