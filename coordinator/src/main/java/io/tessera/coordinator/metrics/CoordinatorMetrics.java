package io.tessera.coordinator.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tessera.coordinator.cluster.ClusterView;
import io.tessera.coordinator.cluster.Role;
import io.tessera.coordinator.transport.ClientRole;
import io.tessera.coordinator.transport.RequestObserver;
import io.tessera.raft.group.GroupStats;
import io.tessera.raft.group.RaftGroup;
import io.tessera.raft.tx.StoreStats;
import io.tessera.raft.tx.TxStateMachine;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * One node's metrics: a Micrometer registry rendered in the Prometheus text format by {@link #scrape()}
 * ({@code GET /metrics}). Event-driven meters (Seata's transaction family, requests, leader changes) are
 * recorded where they happen with one add; everything derived from state (indexes, store, disk, pending
 * phase two, jraft's registry) is read on scrape. Constructor registers; {@link #close()} detaches nothing
 * (the sources die with the node) and closes the registry. The metric list is in docs/operations.md,
 * "Monitoring".
 */
public final class CoordinatorMetrics implements AutoCloseable {
    /**
     * What the front end (transaction port) shows, read on scrape.
     *
     * @param connections registered connections of a client role
     * @param refusedBegins GlobalBegins refused by admission since start
     * @param inFlightRequests requests received and not answered yet
     */
    public record FrontEnd(java.util.function.ToLongFunction<ClientRole> connections,
            java.util.function.LongSupplier refusedBegins, java.util.function.LongSupplier inFlightRequests) {
    }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RaftGroup group;
    private final TxStateMachine stateMachine;
    private final SeataTransactionMetrics transactions;
    private final RequestMetrics requests;
    private final JraftMetricsBridge jraft;
    private final FollowerLag followerLag;
    private final AtomicLong leaderChanges = new AtomicLong();
    private final Timer leaderless;
    private volatile StoreStats store = StoreStats.CLOSED;
    private volatile long[] pending = {0, 0};
    private Optional<String> lastLeader = Optional.empty();
    private long leaderLostNanos = -1;

    public CoordinatorMetrics(String nodeId, Path dataDir, RaftGroup group, TxStateMachine stateMachine,
            FrontEnd frontEnd, ClusterView view) {
        this.group = group;
        this.stateMachine = stateMachine;
        // No common tags: Seata's families keep exactly Seata's labels; Prometheus adds instance/job itself.
        this.transactions = new SeataTransactionMetrics(registry, System::currentTimeMillis, System::nanoTime);
        stateMachine.addBeginListener(transactions);
        stateMachine.addEventListener(transactions);
        this.requests = new RequestMetrics(registry, System::nanoTime);
        this.jraft = new JraftMetricsBridge(registry, group::jraftMetrics);
        this.followerLag = new FollowerLag(registry, group);
        this.leaderless = Timer.builder("tessera.raft.leaderless")
                .description("Periods this member knew no leader (an election), from losing the leader to "
                        + "learning the next")
                .serviceLevelObjectives(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
                        Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10))
                .register(registry);
        group.addLeaderChangeListener(this::leaderChanged);

        for (Role r : Role.values()) {
            gauge("tessera.raft.role", "1 for this member's current role", view,
                    v -> v.role() == r ? 1 : 0).tag("role", r.name()).register(registry);
        }
        gauge("tessera.raft.term", "The newest term this member knows", view, ClusterView::term).register(registry);
        gauge("tessera.raft.leader.known", "1 while this member knows a leader", view,
                v -> v.leaderNodeId().isPresent() ? 1 : 0).register(registry);
        gauge("tessera.raft.halted", "1 once this member's state machine stopped applying (see /health)", group,
                g -> g.isHalted() ? 1 : 0).register(registry);
        gauge("tessera.raft.commit.index", "Highest log index this member knows committed", group,
                RaftGroup::lastCommittedIndex).register(registry);
        gauge("tessera.raft.applied.index", "Log index this member applied up to", group,
                RaftGroup::lastAppliedIndex).register(registry);
        gauge("tessera.raft.last.log.index", "Last index of this member's log", group, RaftGroup::lastLogIndex)
                .register(registry);
        gauge("tessera.raft.apply.lag", "Committed entries this member has not applied yet", group,
                g -> Math.max(0, g.lastCommittedIndex() - g.lastAppliedIndex())).register(registry);
        FunctionCounter.builder("tessera.raft.leader.changes", leaderChanges, AtomicLong::get)
                .description("Changes of the leader this member knows (including to none)").register(registry);

        GroupStats gs = group.stats();
        gauge("tessera.raft.proposals.in.flight", "Proposals waiting for their outcome on this member", gs,
                GroupStats::proposalsInFlight).register(registry);
        counter("tessera.raft.proposals", "Proposals started on this member", gs, GroupStats::proposals);
        counter("tessera.raft.forwarded", "Drafts this member forwarded to the leader", gs, GroupStats::forwarded);
        counter("tessera.raft.forwarded.failed", "Forwards to the leader that got no answer", gs,
                GroupStats::forwardedFailed);
        counter("tessera.snapshot.saved", "Snapshots this member saved", gs, GroupStats::snapshotsSaved);
        counter("tessera.snapshot.failed", "Snapshot saves that failed", gs, GroupStats::snapshotsFailed);
        counter("tessera.snapshot.loaded", "Snapshots this member installed from the leader", gs,
                GroupStats::snapshotsLoaded);
        gauge("tessera.snapshot.last.duration.seconds", "How long the last snapshot save took", gs,
                s -> s.lastSnapshotNanos() / 1e9).register(registry);
        gauge("tessera.snapshot.last.size.bytes", "Size of the last saved snapshot", gs,
                GroupStats::lastSnapshotBytes).register(registry);
        gauge("tessera.snapshot.age.seconds", "Seconds since the last snapshot saved or loaded (NaN: none since "
                + "start)", gs, s -> s.lastSnapshotEpochMillis() == 0 ? Double.NaN
                        : (System.currentTimeMillis() - s.lastSnapshotEpochMillis()) / 1000.0).register(registry);
        gauge("tessera.snapshot.index", "Log index of this member's last snapshot", group,
                RaftGroup::lastSnapshotIndex).register(registry);

        gauge("tessera.phase2.pending", "Global transactions decided and not ended (phase two pending)", this,
                m -> m.pending[0]).register(registry);
        gauge("tessera.phase2.oldest.pending.age.seconds", "Seconds since the decision of the oldest global "
                + "transaction still in phase two (0: none)", this,
                m -> m.pending[1] == 0 ? 0 : (System.currentTimeMillis() - m.pending[1]) / 1000.0).register(registry);
        counter("tessera.phase2.retries", "Phase-two rounds that recorded a failure (the transaction retries)",
                transactions, SeataTransactionMetrics::retries);
        counter("tessera.phase2.decisions", "Commit/rollback decisions applied (phase two started)", transactions,
                SeataTransactionMetrics::decisions);

        gauge("tessera.transactions.open", "Live (not ended) global transactions (RocksDB estimate)", this,
                m -> m.store.globalsEstimate()).register(registry);
        gauge("tessera.branches.open", "Branches of live transactions (RocksDB estimate)", this,
                m -> m.store.branchesEstimate()).register(registry);
        gauge("tessera.locks.held", "Row locks held (RocksDB estimate)", this, m -> m.store.locksEstimate())
                .register(registry);
        gauge("tessera.store.sst.bytes", "Size of the transaction store's live SST files", this,
                m -> m.store.sstBytes()).register(registry);
        gauge("tessera.store.memtable.bytes", "Size of the transaction store's memtables", this,
                m -> m.store.memtableBytes()).register(registry);
        gauge("tessera.store.write.stopped", "1 while RocksDB stops writes (write stall)", this,
                m -> m.store.writeStopped() ? 1 : 0).register(registry);
        gauge("tessera.store.delayed.write.rate", "Rate RocksDB slows writes to (bytes/s; 0: not slowed)", this,
                m -> m.store.delayedWriteRate()).register(registry);
        // Resolved on each scrape: the directory may not exist yet when the node is wired.
        gauge("tessera.disk.free.bytes", "Usable bytes on the data directory's file system", dataDir,
                d -> space(d, true)).register(registry);
        gauge("tessera.disk.total.bytes", "Size of the data directory's file system", dataDir,
                d -> space(d, false)).register(registry);

        counter("tessera.admission.refused", "GlobalBegins refused by transaction.max-inflight-requests", frontEnd,
                f -> f.refusedBegins().getAsLong());
        gauge("tessera.requests.in.flight", "Transaction-port requests received and not answered yet", frontEnd,
                f -> f.inFlightRequests().getAsLong()).register(registry);
        for (ClientRole r : ClientRole.values()) {
            gauge("tessera.connections", "Registered client connections by role (TM, RM)", frontEnd,
                    f -> f.connections().applyAsLong(r)).tag("role", r.name()).register(registry);
        }

        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    private static <T> Gauge.Builder<T> gauge(String name, String help, T obj, ToDoubleFunction<T> f) {
        return Gauge.builder(name, obj, f).description(help).strongReference(true);
    }

    private <T> void counter(String name, String help, T obj, ToDoubleFunction<T> f) {
        FunctionCounter.builder(name, obj, f).description(help).register(registry);
    }

    private static double space(Path dir, boolean usable) {
        try {
            FileStore fs = Files.getFileStore(dir);
            return usable ? fs.getUsableSpace() : fs.getTotalSpace();
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    /** On the group's event thread: counts changes and times leaderless periods. */
    private synchronized void leaderChanged(long term, Optional<String> leader) {
        if (!leader.equals(lastLeader)) {
            leaderChanges.incrementAndGet();
        }
        if (leader.isEmpty() && leaderLostNanos < 0) {
            leaderLostNanos = System.nanoTime();
        } else if (leader.isPresent() && leaderLostNanos >= 0) {
            leaderless.record(Duration.ofNanos(System.nanoTime() - leaderLostNanos));
            leaderLostNanos = -1;
        }
        lastLeader = leader;
    }

    /** The Prometheus text exposition (format 0.0.4) of every meter; reads the state-derived figures first. */
    public synchronized String scrape() {
        boolean leader = group.isLeader();
        store = stateMachine.storeStats();
        pending = transactions.pending();
        transactions.refresh(leader);
        requests.refresh();
        jraft.refresh();
        followerLag.refresh(leader);
        return registry.scrape();
    }

    /** Hand to the transaction port (NodeRuntime.observeRequests) before it starts. */
    public RequestObserver requestObserver() {
        return requests;
    }

    /** The registry, for tests and for meters other components add. */
    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        registry.close();
    }
}
