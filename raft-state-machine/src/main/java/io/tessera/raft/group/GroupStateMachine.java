package io.tessera.raft.group;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Iterator;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.core.StateMachineAdapter;
import com.alipay.sofa.jraft.entity.LeaderChangeContext;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.error.RaftError;
import com.alipay.sofa.jraft.error.RaftException;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotReader;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thin jraft adapter over an {@link ApplyTarget}: batches committed entries, hands apply results to the
 * proposers' closures, and maps snapshots onto the target. Runs on jraft's single FSM thread only.
 */
final class GroupStateMachine extends StateMachineAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(GroupStateMachine.class);
    /** Subdirectory of a jraft snapshot holding the target's files (jraft keeps its meta file beside it). */
    static final String SNAPSHOT_SUBDIR = "state";

    private final String name;
    private final ApplyTarget target;
    private final Leadership leadership;
    private final Executor callbacks;
    private final int maxBatch;
    private final ConfigurationTracker configuration;
    private final SnapshotTrigger snapshots;
    private final GroupStats stats;
    private volatile boolean halted;
    private volatile String haltReason;
    /** The last log index this FSM went through (applied or skipped); FSM thread only. */
    private long lastIterated;

    GroupStateMachine(String name, ApplyTarget target, Leadership leadership, Executor callbacks, int maxBatch,
            ConfigurationTracker configuration, SnapshotTrigger snapshots, GroupStats stats) {
        this.stats = stats;
        this.name = name;
        this.target = target;
        this.leadership = leadership;
        this.callbacks = callbacks;
        this.maxBatch = maxBatch;
        this.configuration = configuration;
        this.snapshots = snapshots;
    }

    boolean halted() {
        return halted;
    }

    Optional<String> haltReason() {
        return halted ? Optional.of(haltReason == null ? "unknown" : haltReason) : Optional.empty();
    }

    @Override
    public void onApply(Iterator iter) {
        // Replay after a restart starts at jraft's last snapshot, which may be older than the target's own
        // durable state; those entries are already in the target.
        long appliedInTarget = target.lastAppliedIndex();
        List<ApplyTarget.Entry> batch = new ArrayList<>();
        List<Closure> dones = new ArrayList<>();
        while (iter.hasNext()) {
            long index = iter.getIndex();
            if (index <= appliedInTarget) {
                Closure done = iter.done();
                if (done != null) {
                    // Only possible if a proposal raced a snapshot load; the entry's effect is in the target
                    // but its result is not, so the caller cannot be told the outcome.
                    done.run(new Status(RaftError.EINTERNAL, "entry %d already applied, result lost", index));
                }
                lastIterated = index;
                iter.next();
                continue;
            }
            Closure done = iter.done();
            // Our own proposal carries the command object it was serialized from: apply skips decoding it.
            Object decoded = done instanceof ProposalClosure pc ? pc.decoded : null;
            batch.add(new ApplyTarget.Entry(index, iter.getTerm(), copy(iter.getData()), decoded));
            dones.add(done);
            lastIterated = index;
            iter.next();
            if (batch.size() >= maxBatch && !flush(iter, batch, dones)) {
                return;
            }
        }
        if (flush(iter, batch, dones)) {
            snapshots.applied(lastIterated);
        }
        // Configuration entries never reach onApply; an applied batch is the usual sign one went by.
        configuration.poke();
    }

    /** Applies the batch (already iterated past); false if the replica halted. */
    private boolean flush(Iterator iter, List<ApplyTarget.Entry> batch, List<Closure> dones) {
        if (batch.isEmpty()) {
            return true;
        }
        List<?> results;
        try {
            results = target.applyBatch(batch);
            if (results == null || results.size() != batch.size()) {
                throw new ApplyHaltException("applyBatch returned " + (results == null ? "null" : results.size())
                        + " results for " + batch.size() + " entries");
            }
        } catch (ApplyHaltException | RuntimeException e) {
            halt(iter, batch, e);
            return false;
        }
        List<ProposalClosure> own = new ArrayList<>();
        for (int i = 0; i < dones.size(); i++) {
            Closure done = dones.get(i);
            if (done instanceof ProposalClosure pc) {
                pc.setResult(results.get(i));
                own.add(pc);
            } else if (done != null) {
                done.run(Status.OK());
            }
        }
        if (!own.isEmpty()) {
            // Off the FSM thread: callers chain work onto these futures and must not stall apply.
            callbacks.execute(() -> own.forEach(pc -> pc.run(Status.OK())));
        }
        batch.clear();
        dones.clear();
        return true;
    }

    private void halt(Iterator iter, List<ApplyTarget.Entry> batch, Exception e) {
        long first = batch.get(0).index();
        haltReason = "apply halted at entry " + first + ": " + e.getMessage();
        halted = true;
        LOG.error("{} HALTED applying entries {}..{}: {}", name, first, batch.get(batch.size() - 1).index(),
                e.toString(), e);
        // The whole batch was one atomic write that did not happen, so roll back to its first entry.
        // jraft counts ntail from the current position; when the iterator stands on a further data entry
        // that entry itself counts as one (IteratorImpl.setErrorAndRollback in 1.3.15).
        long ntail = iter.hasNext() ? batch.size() + 1L : batch.size();
        iter.setErrorAndRollback(ntail, new Status(RaftError.ESTATEMACHINE, "apply halted at entry %d: %s",
                first, e.getMessage()));
    }

    private static byte[] copy(ByteBuffer data) {
        if (data == null) {
            return new byte[0];
        }
        ByteBuffer b = data.slice();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Override
    public void onSnapshotSave(SnapshotWriter writer, Closure done) {
        Path root = Path.of(writer.getPath());
        Path dir = root.resolve(SNAPSHOT_SUBDIR);
        long started = System.nanoTime();
        try {
            Files.createDirectories(dir);
            target.saveSnapshot(dir);
            List<Path> files;
            try (Stream<Path> s = Files.walk(dir)) {
                files = s.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path f : files) {
                String rel = root.relativize(f).toString();
                if (!writer.addFile(rel)) {
                    throw new IOException("snapshot writer refused " + rel);
                }
            }
            LOG.info("{} saved snapshot at index {} ({} files)", name, target.lastAppliedIndex(), files.size());
            snapshots.snapshotAt(lastIterated);
            long bytes = 0;
            for (Path f : files) {
                bytes += Files.size(f);
            }
            // Monitoring only (snapshot age and duration); nothing replicated reads these times.
            stats.snapshotSaved(System.nanoTime() - started, bytes, System.currentTimeMillis());
            done.run(Status.OK());
        } catch (IOException | RuntimeException e) {
            stats.snapshotFailed();
            LOG.error("{} snapshot save failed", name, e);
            done.run(new Status(RaftError.EIO, "snapshot save failed: %s", e.getMessage()));
        }
    }

    @Override
    public boolean onSnapshotLoad(SnapshotReader reader) {
        var meta = reader.load();
        long snapIndex = meta == null ? -1 : meta.getLastIncludedIndex();
        long applied = target.lastAppliedIndex();
        if (snapIndex > 0) {
            snapshots.snapshotAt(snapIndex);
            lastIterated = Math.max(lastIterated, snapIndex);
        }
        configuration.poke();
        if (snapIndex >= 0 && snapIndex <= applied) {
            // The target's durable state already contains every entry up to the snapshot: loading would
            // only move it backwards and force a replay. jraft resumes the log after snapIndex; entries up
            // to `applied` are then skipped in onApply.
            LOG.info("{} keeps local state at {} over snapshot at {}", name, applied, snapIndex);
            return true;
        }
        try {
            target.loadSnapshot(Path.of(reader.getPath()).resolve(SNAPSHOT_SUBDIR));
            stats.snapshotLoaded(System.currentTimeMillis());
            LOG.info("{} loaded snapshot at index {} (local state was at {})", name, snapIndex, applied);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.error("{} refused snapshot at index {}", name, snapIndex, e);
            return false;
        }
    }

    @Override
    public void onLeaderStart(long term) {
        configuration.poke();
        leadership.leaderStart(term);
    }

    @Override
    public void onLeaderStop(Status status) {
        leadership.leaderStop();
    }

    @Override
    public void onStartFollowing(LeaderChangeContext ctx) {
        configuration.poke();
        leadership.startFollowing(endpoint(ctx.getLeaderId()), ctx.getTerm());
    }

    @Override
    public void onStopFollowing(LeaderChangeContext ctx) {
        leadership.stopFollowing(endpoint(ctx.getLeaderId()), ctx.getTerm());
    }

    @Override
    public void onConfigurationCommitted(Configuration conf) {
        configuration.poke();
    }

    @Override
    public void onError(RaftException e) {
        if (haltReason == null) {
            // The first cause is the useful one; jraft reports the apply halt here again.
            haltReason = String.valueOf(e.getStatus());
        }
        halted = true;
        LOG.error("{} replica in error state: {}", name, e.getStatus(), e);
    }

    static String endpoint(PeerId peer) {
        return peer == null ? null : peer.getEndpoint().toString();
    }
}
