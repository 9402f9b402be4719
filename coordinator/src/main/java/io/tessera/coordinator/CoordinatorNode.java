package io.tessera.coordinator;

import io.netty.handler.codec.http.HttpMethod;
import io.tessera.coordinator.backup.BackupService;
import io.tessera.coordinator.backup.SnapshotRoute;
import io.tessera.coordinator.backup.StateDigestRoute;
import io.tessera.coordinator.clientauth.ClientAuth;
import io.tessera.coordinator.config.MemberSpec;
import io.tessera.coordinator.config.NodeConfig;
import io.tessera.coordinator.control.MetricsRoute;
import io.tessera.coordinator.control.ProbeRoutes;
import io.tessera.coordinator.control.ScrapeCredential;
import io.tessera.coordinator.membership.NodeMembership;
import io.tessera.coordinator.registry.NodeRegistration;
import io.tessera.coordinator.metrics.CoordinatorMetrics;
import io.tessera.coordinator.tc.TcOptions;
import io.tessera.coordinator.tc.adapter.LeaderPhaseTwoWait;
import io.tessera.coordinator.tc.adapter.PhaseTwoDelivery;
import io.tessera.coordinator.tc.adapter.RaftTxLog;
import io.tessera.coordinator.tc.adapter.RmUndoLogTargets;
import io.tessera.coordinator.tc.auth.ReplicatedAuthState;
import io.tessera.coordinator.tc.auth.TokenKeyDriver;
import io.tessera.coordinator.tc.drive.PhaseTwoDriver;
import io.tessera.coordinator.tc.drive.RetentionDriver;
import io.tessera.coordinator.tc.drive.TimeoutDriver;
import io.tessera.coordinator.tc.drive.UndoLogDeleteDriver;
import io.tessera.coordinator.tc.port.AtResources;
import io.tessera.coordinator.tc.service.PhaseTwoWaiters;
import io.tessera.coordinator.tc.service.ReplyPolicy;
import io.tessera.coordinator.tc.service.TcTransactionService;
import io.tessera.coordinator.transport.RmChannels;
import io.tessera.coordinator.transport.RmRequestSender;
import io.tessera.raft.group.RaftGroup;
import io.tessera.raft.group.RaftGroupOptions;
import io.tessera.raft.tls.MemberTls;
import io.tessera.raft.tx.ControlRole;
import io.tessera.raft.tx.TxCommandStamper;
import io.tessera.raft.tx.TxCommands;
import io.tessera.raft.tx.TxStateMachine;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A complete coordinator node, and the composition root of the transaction layer: the replicated
 * transaction state (RocksDB + jraft) behind the {@link RaftTxLog} port, the TC service and its leader
 * drivers, and the network front ends. Constructor wires, {@link #start()} opens the store, joins the
 * group and binds the ports; {@link #close()} undoes it in reverse.
 */
public final class CoordinatorNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorNode.class);

    private final NodeConfig config;
    private final TxStateMachine stateMachine;
    private final RaftGroup group;
    private final RaftTxLog txLog;
    private final ScheduledThreadPoolExecutor scheduler;
    private final ExecutorService continuations;
    private final List<AutoCloseable> drivers;
    private final NodeRuntime runtime;
    private final BackupService backups;
    private final NodeMembership membership;
    private final NodeRegistration registration;
    /** Null when metrics.enabled=false. */
    private final CoordinatorMetrics metrics;
    private boolean groupStarted;

    public CoordinatorNode(NodeConfig config) {
        this(config, TcOptions.defaults(config.requestTimeoutMs()));
    }

    public CoordinatorNode(NodeConfig config, TcOptions options) {
        this.config = config;
        Clock clock = Clock.systemUTC();
        RaftGroupOptions groupOptions = RaftGroupOptions.builder()
                .groupId(config.raftGroup())
                .dataDir(config.dataDir())
                .selfEndpoint(config.self().raft().toString())
                .peers(config.members().stream().map(m -> m.raft().toString()).toList())
                .electionTimeoutMs(config.electionTimeoutMs())
                .deadLeaderElectionTimeoutMs(config.deadLeaderElectionTimeoutMs())
                .snapshotIntervalSecs(config.snapshotIntervalSeconds())
                .snapshotLogEntries(config.lifecycle().snapshotLogEntries())
                .join(config.lifecycle().join())
                // The default of proposals without their own timeout (reads, forwarded drafts).
                .requestTimeoutMs(Math.max(1_000, Math.min(config.requestTimeoutMs(), 5_000)))
                .sync(true)
                .enableMetrics(config.monitoring().metricsEnabled())
                .bindHost(config.bindHost())
                .tls(config.security().memberTls()
                        .map(f -> MemberTls.of(f.keystore(), f.password().toCharArray())).orElse(null))
                .build();
        this.stateMachine = new TxStateMachine(groupOptions.stateDir());
        this.group = new RaftGroup(groupOptions, stateMachine, new TxCommandStamper(), clock);

        this.scheduler = new ScheduledThreadPoolExecutor(2, threads("tessera-tc-scheduler-" + config.nodeId()));
        // Waits and retries are cancelled far more often than they fire; don't keep them queued.
        scheduler.setRemoveOnCancelPolicy(true);
        this.continuations = Executors.newFixedThreadPool(Math.max(2, config.executorThreads()),
                threads("tessera-tc-" + config.nodeId()));
        this.txLog = new RaftTxLog(group, stateMachine, scheduler);
        TxCommands commands = new TxCommands();
        long proposalTimeoutMs = groupOptions.requestTimeoutMs();
        NodeConfig.Recovery recovery = config.recovery();

        RmChannels rmChannels = new RmChannels();
        RmRequestSender rmSender = NodeRuntime.rmSenderFor(config, rmChannels);
        PhaseTwoDelivery delivery = new PhaseTwoDelivery(group, rmSender, config.rmRequestTimeoutMs() + 2_000L);
        delivery.register();
        PhaseTwoWaiters waiters = new PhaseTwoWaiters(stateMachine.view(), scheduler, options.phaseTwoWaitMs());
        txLog.addEventListener(waiters);
        LeaderPhaseTwoWait phaseTwoWait = new LeaderPhaseTwoWait(group, waiters, options.phaseTwoWaitMs());
        phaseTwoWait.register();
        AtResources atResources = new AtResources();

        PhaseTwoDriver phaseTwo = new PhaseTwoDriver(txLog, commands, delivery, scheduler, clock, options, recovery,
                waiters);
        txLog.addEventListener(phaseTwo);
        TimeoutDriver timeouts = new TimeoutDriver(txLog, commands, scheduler, clock, recovery.timeoutRetryPeriodMs(),
                proposalTimeoutMs);
        RetentionDriver retention = new RetentionDriver(txLog, commands, scheduler, options.endedRetentionMs(),
                options.purgeIntervalMs(), proposalTimeoutMs);
        UndoLogDeleteDriver undoLogs = new UndoLogDeleteDriver(new RmUndoLogTargets(rmChannels, rmSender), atResources,
                scheduler, recovery);
        ReplicatedAuthState auth = new ReplicatedAuthState(txLog, commands, proposalTimeoutMs);
        TokenKeyDriver tokenKeys = new TokenKeyDriver(auth, scheduler, config.nodeId());
        this.drivers = List.of(phaseTwo, timeouts, retention, undoLogs, tokenKeys);
        txLog.addLeaderListener(phaseTwo);
        txLog.addLeaderListener(timeouts);
        txLog.addLeaderListener(retention);
        txLog.addLeaderListener(undoLogs);
        txLog.addLeaderListener(tokenKeys);

        MemberSpec self = config.self();
        ClientAuth clientAuth = NodeRuntime.clientAuthFor(config);
        this.membership = new NodeMembership(config, group, stateMachine, txLog, commands, scheduler,
                proposalTimeoutMs);
        TcTransactionService service = new TcTransactionService(txLog, commands, phaseTwoWait, new ReplyPolicy(),
                self.host() + ":" + self.transactionPort(), options, proposalTimeoutMs, continuations, clientAuth,
                atResources);
        this.runtime = new NodeRuntime(config, membership.view(), service, rmChannels, rmSender,
                NodeRuntime.defaultBodyCodecs(), auth, clientAuth);
        membership.registerRoutes(runtime.controlServer());
        this.backups = new BackupService(group, config.nodeId(), config.dataDir().resolve("backup-tmp"), clock);
        // The archive holds every transaction and the cluster's token key: operators only.
        runtime.controlServer().addRoute(HttpMethod.POST, SnapshotRoute.PATH, ControlRole.ADMIN,
                new SnapshotRoute(backups));
        runtime.controlServer().addRoute(HttpMethod.GET, StateDigestRoute.PATH, ControlRole.ADMIN,
                new StateDigestRoute(stateMachine.view(), config.nodeId(), continuations));
        // Followers forward, so every node registers its transaction endpoint (the address its XIDs carry).
        this.registration = NodeRegistration.of(config.registry(), self.host() + ":" + self.transactionPort());
        ProbeRoutes probes = new ProbeRoutes(membership.view(), group::lastCommittedIndex,
                config.monitoring().readyMaxApplyLag());
        runtime.controlServer().addOpenRoute(HttpMethod.GET, ProbeRoutes.LIVE, probes.live());
        runtime.controlServer().addOpenRoute(HttpMethod.GET, ProbeRoutes.READY, probes.ready());
        if (config.monitoring().metricsEnabled()) {
            this.metrics = new CoordinatorMetrics(config.nodeId(), config.dataDir(), group, stateMachine,
                    new CoordinatorMetrics.FrontEnd(runtime::connections, runtime::refusedBegins,
                            runtime::inFlightRequests), membership.view());
            runtime.observeRequests(metrics.requestObserver());
            // Client role (an admin token covers it) or the scrape secret: never open (docs/operations.md).
            runtime.controlServer().addRoute(HttpMethod.GET, MetricsRoute.PATH, ControlRole.CLIENT,
                    ScrapeCredential.fromFile(config.monitoring().metricsTokenFile()),
                    new MetricsRoute(metrics::scrape));
        } else {
            this.metrics = null;
        }
        // Seata's console API (admin role): queries and replicated operator actions, see docs/console-api.md.
        new io.tessera.coordinator.console.ConsoleApi(txLog, commands, config.nodeId(), continuations, proposalTimeoutMs)
                .register(runtime.controlServer());
        // The web console's files at / and /ui/* (public, no data; its data calls need the admin token).
        new io.tessera.coordinator.webconsole.WebConsole().register(runtime.controlServer());
    }

    /**
     * The front ends bind first (they also check the raft port), so a port clash fails fast with one
     * line before any Raft state is touched. Requests arriving in the short gap before the group is up
     * wait for the group (within the request timeout), never dropped.
     */
    public synchronized void start() throws IOException {
        runtime.start();
        try {
            group.start();
            groupStarted = true;
            txLog.markStarted();
            runtime.controlServer().logCredentialSources();
            // Last: clients find the node only once it serves; registering never blocks (own threads).
            registration.start();
        } catch (IOException | RuntimeException e) {
            runtime.close();
            throw e;
        }
        LOG.info("coordinator node {} started", config.nodeId());
    }

    public RaftGroup group() {
        return group;
    }

    public TxStateMachine stateMachine() {
        return stateMachine;
    }

    public NodeRuntime runtime() {
        return runtime;
    }

    public NodeConfig config() {
        return config;
    }

    /** The node's registry entries (registry.type). */
    public NodeRegistration registration() {
        return registration;
    }

    /** The node's metrics (GET /metrics), empty when metrics.enabled=false. */
    public java.util.Optional<CoordinatorMetrics> metrics() {
        return java.util.Optional.ofNullable(metrics);
    }

    /**
     * A planned stop (SIGTERM): a leader hands leadership to the voter furthest ahead, the node keeps
     * serving until its requests are answered and clients have moved (shutdown.drain-timeout-ms at most),
     * then everything closes. Clients see a leader change, not a failed request.
     */
    public synchronized void stopGracefully() {
        // Leave the registries first, so that clients stop choosing this node while it drains.
        registration.close();
        if (groupStarted) {
            membership.gracefulStop(runtime::inFlightRequests, runtime::receivedRequests).run();
        }
        close();
    }

    @Override
    public synchronized void close() {
        registration.close();
        runtime.close();
        membership.close();
        backups.close();
        for (AutoCloseable d : drivers) {
            try {
                d.close();
            } catch (Exception e) {
                LOG.warn("closing {}: {}", d.getClass().getSimpleName(), e.toString());
            }
        }
        if (groupStarted) {
            group.close();
            groupStarted = false;
        } else {
            stateMachine.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        scheduler.shutdownNow();
        continuations.shutdown();
        try {
            continuations.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
