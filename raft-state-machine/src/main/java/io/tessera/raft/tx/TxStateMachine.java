package io.tessera.raft.tx;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.raft.group.ApplyHaltException;
import io.tessera.raft.group.ApplyTarget;
import io.tessera.raft.proto.TxCommand;
import io.tessera.raft.proto.TxResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transaction state machine: applies {@link TxCommand}s to the RocksDB store under {@code dataDir}.
 * One applyBatch = one WriteBatch holding every command's effects plus the new last applied index, so
 * the store is always exactly "all entries up to lastAppliedIndex". Reads for the coordinator go through
 * {@link #view()}. Results are typed {@link TxResult}s (serialised only for a forwarded proposal, see
 * {@link #resultBytes}); what they mean for each transaction is published as {@link TxEvent}s once the
 * batch is durable.
 */
public final class TxStateMachine implements ApplyTarget {
    private static final Logger LOG = LoggerFactory.getLogger(TxStateMachine.class);

    private final TxStore store;
    private final TxTransitions transitions = new TxTransitions();
    private final RocksTxView view;
    // The auth table in memory (see AuthSnapshot); replaced after every batch that changed it, open and load.
    private volatile AuthSnapshot auth = AuthSnapshot.EMPTY;
    // The member directory in memory, like auth: read on every registry metadata and /health request.
    private volatile List<MemberRecord> members = List.of();
    private final List<Runnable> memberListeners = new CopyOnWriteArrayList<>();
    private final List<TxEventListener> listeners = new CopyOnWriteArrayList<>();
    private final List<TxBeginListener> beginListeners = new CopyOnWriteArrayList<>();

    public TxStateMachine(Path dataDir) {
        this.store = new TxStore(dataDir);
        this.view = new RocksTxView(store, () -> auth, () -> members);
    }

    /** The read API; valid for the life of this object (calls fail while the store is closed). */
    public TxView view() {
        return view;
    }

    /** Hears every applied begin on this replica (monitoring; see {@link TxBeginListener}). */
    public void addBeginListener(TxBeginListener listener) {
        beginListeners.add(listener);
    }

    /** Hears every applied decision, retry, park and end on this replica (see {@link TxEventListener}). */
    public void addEventListener(TxEventListener listener) {
        listeners.add(listener);
    }

    /** RocksDB's figures for monitoring (see {@link StoreStats}); cheap, any thread. */
    public StoreStats storeStats() {
        return store.stats();
    }

    TxStore store() {
        return store;
    }

    /**
     * Called after the member directory changed (an applied SetMember, a loaded snapshot), on the apply
     * thread once the batch is durable: must be quick and must not block.
     */
    public void addMemberDirectoryListener(Runnable listener) {
        memberListeners.add(listener);
    }

    @Override
    public void open() throws IOException {
        store.open();
        store.ensureConsoleIndex();
        reloadAuth();
        reloadMembers();
        LOG.info("transaction store open at {}, last applied index {}", store.dbDir(), store.lastAppliedIndex());
    }

    @Override
    public List<TxResult> applyBatch(List<Entry> entries) throws ApplyHaltException {
        List<TxResult> results = new ArrayList<>(entries.size());
        if (entries.isEmpty()) {
            return results;
        }
        long applied = store.lastAppliedIndex();
        long last = applied;
        boolean authChanged = false;
        boolean membersChanged = false;
        List<TxEvent> events = listeners.isEmpty() ? null : new ArrayList<>();
        List<TxBegun> begins = beginListeners.isEmpty() ? null : new ArrayList<>();
        Entry current = null;
        try (BatchKv batch = store.newBatch()) {
            TxTables tables = new TxTables(batch);
            for (Entry e : entries) {
                current = e;
                if (e.index() <= last) {
                    // Replay after a restart: the effects are already in the store (same WriteBatch as the index).
                    results.add(Results.ok("", GlobalStatus.UnKnown, false)
                            .setMessage("index " + e.index() + " already applied").build());
                    continue;
                }
                // On the proposing leader the stamper's own object (equal to decoding the bytes); else decode.
                TxCommand cmd = e.decoded() instanceof TxCommand c ? c : TxCommand.parseFrom(e.command());
                TxTransitions.requireStamped(cmd);
                TxResult r = transitions.apply(cmd, tables);
                authChanged |= r.getApplied() && (cmd.hasSetTokenKey() || cmd.hasSetCredentials());
                membersChanged |= r.getApplied() && cmd.hasSetMember();
                results.add(r);
                if (begins != null && cmd.hasBegin() && r.getApplied()) {
                    var b = cmd.getBegin();
                    begins.add(new TxBegun(b.getXid(), b.getApplicationId(), b.getTransactionServiceGroup(),
                            b.getName(), b.getBeginTime()));
                }
                if (events != null) {
                    TxEvent ev = event(cmd, r);
                    if (ev != null) {
                        events.add(ev);
                    }
                }
                last = e.index();
            }
            if (last > applied) {
                store.commit(batch, last);
            }
            if (authChanged) {
                reloadAuth();
            }
            if (membersChanged) {
                reloadMembers();
            }
        } catch (InvalidProtocolBufferException e) {
            throw halt("undecodable command", current, e);
        } catch (RuntimeException e) {
            // StoreException (RocksDB failure, corrupt value) or a broken invariant: stop, never skip.
            throw halt(e.getMessage(), current, e);
        }
        if (begins != null) {
            publishBegins(begins);
        }
        if (events != null) {
            publish(events);
        }
        return results;
    }

    /** What {@code r} (the result of {@code cmd}) means for its transaction, or null when nothing happened to one. */
    static TxEvent event(TxCommand cmd, TxResult r) {
        if (!r.getApplied() || r.getXid().isEmpty()) {
            return null;
        }
        GlobalStatus status = GlobalStatus.of(r.getGlobalStatus());
        if (cmd.hasPark()) {
            return new TxEvent(TxEvent.Kind.PARKED, r.getXid(), status);
        }
        if (cmd.hasConsole() && !status.isEnded()) {
            // Stopped: no leader drives it (like a park); resent: one round at once (like a decision).
            if (cmd.getConsole().getKind() == io.tessera.raft.proto.ConsoleActionKind.STOP_GLOBAL) {
                return new TxEvent(TxEvent.Kind.PARKED, r.getXid(), status);
            }
            if (cmd.getConsole().getKind() == io.tessera.raft.proto.ConsoleActionKind.RESEND_GLOBAL
                    && status.isPhaseTwo()) {
                return new TxEvent(TxEvent.Kind.DECIDED, r.getXid(), status);
            }
            return null;
        }
        if (status.isEnded()) {
            return new TxEvent(TxEvent.Kind.ENDED, r.getXid(), status);
        }
        if (cmd.hasDecide()) {
            return new TxEvent(TxEvent.Kind.DECIDED, r.getXid(), status);
        }
        if ((cmd.hasPhaseTwo() || cmd.hasPhaseTwoBatch()) && status.isRetrying()) {
            return new TxEvent(TxEvent.Kind.RETRYING, r.getXid(), status);
        }
        return null;
    }

    private void publishBegins(List<TxBegun> begins) {
        for (TxBegun b : begins) {
            for (TxBeginListener l : beginListeners) {
                try {
                    l.onBegin(b);
                } catch (RuntimeException e) {
                    LOG.error("transaction begin listener failed for xid {}", b.xid(), e);
                }
            }
        }
    }

    private void publish(List<TxEvent> events) {
        for (TxEvent ev : events) {
            for (TxEventListener l : listeners) {
                try {
                    l.onEvent(ev);
                } catch (RuntimeException e) {
                    // Observation only: a listener never halts or changes the replica.
                    LOG.error("transaction event listener failed for xid {}", ev.xid(), e);
                }
            }
        }
    }

    @Override
    public byte[] resultBytes(Object result) {
        return ((TxResult) result).toByteArray();
    }

    private static ApplyHaltException halt(String why, Entry entry, Exception cause) {
        String where = entry == null ? "" : " at index " + entry.index() + " (term " + entry.term() + ")";
        LOG.error("apply halted{}: {}", where, why, cause);
        return new ApplyHaltException("apply halted" + where + ": " + why, cause);
    }

    @Override
    public long lastAppliedIndex() {
        return store.lastAppliedIndex();
    }

    @Override
    public void saveSnapshot(Path dir) throws IOException {
        SnapshotFiles.save(store, dir);
    }

    @Override
    public void loadSnapshot(Path dir) throws IOException {
        SnapshotFiles.load(store, dir);
        store.ensureConsoleIndex();
        reloadAuth();
        reloadMembers();
        LOG.info("loaded snapshot from {}, last applied index {}", dir, store.lastAppliedIndex());
    }

    private void reloadAuth() {
        auth = store.read(kv -> new AuthTable(kv).snapshot());
    }

    private void reloadMembers() {
        members = store.read(kv -> new MemberTable(kv).records());
        for (Runnable l : memberListeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                LOG.error("member directory listener failed", e);
            }
        }
    }

    @Override
    public void close() {
        store.close();
    }
}
