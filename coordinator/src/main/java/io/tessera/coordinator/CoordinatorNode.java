package io.tessera.coordinator.tc;

import io.netty.handler.codec.http.HttpMethod;
import io.tessera.coordinator.NodeRuntime;
import io.tessera.coordinator.backup.BackupService;
import io.tessera.coordinator.backup.SnapshotRoute;
import io.tessera.coordinator.clientauth.ClientAuth;
import io.tessera.coordinator.config.MemberSpec;
import io.tessera.coordinator.config.NodeConfig;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A complete coordinator node: the replicated transaction state (RocksDB + jraft), the TC service
 * and its leader drivers, and the network front ends. Constructor wires, {@link #start()} opens the
 * store, joins the group and binds the ports; {@link #close()} undoes it in reverse.
 */
public final class CoordinatorNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorNode.class);

    private final NodeConfig config;
    private final TxStateMachine stateMachine;
    private final RaftGroup group;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService continuations;
    private final PhaseTwoDriver phaseTwo;
    private final TimeoutDriver timeouts;
    private final TokenKeyDriver tokenKeys;
    private final Proposer proposer;
    private final NodeRuntime runtime;
    private final BackupService backups;
    private boolean groupStarted;

    public CoordinatorNode(NodeConfig config) {
        this(config, TcOptions.defaults(config.requestTimeoutMs()));
    }

    public CoordinatorNode(NodeConfig config, TcOptions options) {
        this.config = config;
        RaftGroupOptions groupOptions = RaftGroupOptions.builder()
                .groupId(config.raftGroup())
                .dataDir(config.dataDir())
                .selfEndpoint(config.self().raft().toString())
                .peers(config.members().stream().map(m -> m.raft().toString()).toList())
                .electionTimeoutMs(config.electionTimeoutMs())
                .deadLeaderElectionTimeoutMs(config.deadLeaderElectionTimeoutMs())
                .snapshotIntervalSecs(config.snapshotIntervalSeconds())
                // One attempt; commits and rollbacks retry inside their own budget (TcOptions).
                .requestTimeoutMs(Math.max(1_000, Math.min(config.requestTimeoutMs(), 5_000)))
                .sync(true)
                .bindHost(config.bindHost())
                .tls(config.security().memberTls()
                        .map(f -> MemberTls.of(f.keystore(), f.password().toCharArray())).orElse(null))
                .build();
        this.stateMachine = new TxStateMachine(groupOptions.stateDir());
        ObservedStateMachine observed = new ObservedStateMachine(stateMachine);
        this.group = new RaftGroup(groupOptions, observed, new TxCommandStamper());

        this.scheduler = new ScheduledThreadPoolExecutor(2, threads("tessera-tc-scheduler-" + config.nodeId()));
        this.continuations = Executors.newFixedThreadPool(Math.max(2, config.executorThreads()),
                threads("tessera-tc-" + config.nodeId()));
        TxCommands commands = new TxCommands();
        this.proposer = new Proposer(group, commands, scheduler);
        OutcomeWaiters waiters = new OutcomeWaiters(stateMachine.view());

        RmChannels rmChannels = new RmChannels();
        RmRequestSender rmSender = NodeRuntime.rmSenderFor(config, rmChannels);
        PhaseTwoDelivery delivery = new PhaseTwoDelivery(group, rmSender, config.rmRequestTimeoutMs() + 2_000L);
        delivery.register();
        this.phaseTwo = new PhaseTwoDriver(proposer, stateMachine.view(), commands, delivery, scheduler, options,
                waiters::acknowledged);
        this.timeouts = new TimeoutDriver(proposer, stateMachine.view(), commands, scheduler, options,
                Clock.systemUTC());
        observed.addListener(waiters);
        observed.addListener(phaseTwo);
        group.addLeaderListener(phaseTwo);
        group.addLeaderListener(timeouts);
        ReplicatedAuthState auth = new ReplicatedAuthState(proposer, stateMachine.view(), commands);
        this.tokenKeys = new TokenKeyDriver(auth, scheduler, config.nodeId());
        group.addLeaderListener(tokenKeys);

        MemberSpec self = config.self();
        PhaseTwoOutcomes outcomes = new PhaseTwoOutcomes(group, waiters, stateMachine.view(), options.phaseTwoWaitMs(),
                continuations);
        outcomes.register();
        ClientAuth clientAuth = NodeRuntime.clientAuthFor(config);
        TcTransactionService service = new TcTransactionService(proposer, stateMachine.view(), commands, outcomes,
                self.host() + ":" + self.transactionPort(), options, continuations, clientAuth);
        this.runtime = new NodeRuntime(config,
                new RaftClusterView(config.nodeId(), config.raftGroup(), config.members(), group), service,
                rmChannels, rmSender, NodeRuntime.defaultBodyCodecs(), auth, clientAuth);
        this.backups = new BackupService(group, config.nodeId(), config.dataDir().resolve("backup-tmp"),
                Clock.systemUTC());
        // The archive holds every transaction and the cluster's token key: operators only.
        runtime.controlServer().addRoute(HttpMethod.POST, SnapshotRoute.PATH, ControlRole.ADMIN,
                new SnapshotRoute(backups));
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
            proposer.markStarted();
            runtime.controlServer().logCredentialSources();
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

    @Override
    public synchronized void close() {
        runtime.close();
        backups.close();
        phaseTwo.close();
        timeouts.close();
        tokenKeys.close();
        if (groupStarted) {
            group.close();
            groupStarted = false;
        } else {
            stateMachine.close();
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
