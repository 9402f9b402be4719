package io.tessera.raft.group;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.RaftGroupService;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.option.NodeOptions;
import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.rpc.RpcServer;
import com.alipay.sofa.jraft.util.RpcFactoryHelper;
import io.tessera.raft.group.GroupException.Kind;
import io.tessera.raft.tls.MemberCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of a Raft group replicating opaque commands into an {@link ApplyTarget}.
 *
 * <p>Lifecycle: the constructor only wires; {@link #start()} opens the target, then starts the RPC server
 * and the jraft node; {@link #close()} stops the node (waiting for its FSM thread), then closes the target.
 * The group owns the target's lifecycle from start() on.
 *
 * <p>Threading: futures returned here complete on the group's worker threads (or jraft's closure
 * threads for failures), never on the apply thread; continuations must not block for long.
 */
public final class RaftGroup implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RaftGroup.class);

    private final RaftGroupOptions options;
    private final ApplyTarget target;
    private final ExecutorService events;
    private final ExecutorService worker;
    private final Deadlines deadlines;
    private final Leadership leadership;
    private final GroupStateMachine fsm;
    private final Proposals proposals;
    private final ReadBarriers reads;
    private final ForwardClient forwardClient;
    private final PeerCallProcessor peerCalls;
    private final ConfigurationTracker configuration;
    private final SnapshotTrigger snapshots;
    private final Reconfiguration reconfiguration;
    private final GroupStats stats = new GroupStats();
    private volatile LeaderLossDetector leaderLoss;
    private volatile RaftGroupService service;
    private volatile Node node;
    private java.util.function.Function<Transport, MemberNodeOptions> nodeOptionsFactory = MemberNodeOptions::new;
    private volatile boolean closed;
    private boolean started;
    private boolean targetOpen;

    public RaftGroup(RaftGroupOptions options, ApplyTarget target, CommandStamper stamper) {
        this(options, target, stamper, Clock.systemUTC());
    }

    public RaftGroup(RaftGroupOptions options, ApplyTarget target, CommandStamper stamper, Clock clock) {
        this.options = Objects.requireNonNull(options, "options");
        this.target = Objects.requireNonNull(target, "target");
        String name = options.groupId() + "@" + options.selfEndpoint();
        this.events = singleThread("tessera-group-events-" + name);
        this.worker = new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                daemon("tessera-group-worker-" + name),
                // After close every pending future is answered by Deadlines.close(); late work is moot.
                new ThreadPoolExecutor.DiscardPolicy());
        this.deadlines = new Deadlines(name);
        this.leadership = new Leadership(options.selfEndpoint(), events);
        this.configuration = new ConfigurationTracker(options.selfEndpoint(), events,
                options.join() ? GroupConfiguration.EMPTY : new GroupConfiguration(options.peers(), List.of()));
        this.snapshots = new SnapshotTrigger(name, options.snapshotLogEntries(), worker);
        this.fsm = new GroupStateMachine(name, target, leadership, worker, options.maxApplyBatch(), configuration,
                snapshots, stats);
        this.proposals = new Proposals(options.selfEndpoint(), leadership, Objects.requireNonNull(stamper),
                clock, deadlines, worker, options.requestTimeoutMs(), this::unavailable, stats);
        this.reads = new ReadBarriers(deadlines, leadership, worker, options.requestTimeoutMs(),
                this::unavailable, proposals::expiryKind);
        this.forwardClient = new ForwardClient(options.groupId());
        this.peerCalls = new PeerCallProcessor(options.groupId(), worker);
        Object noop = stamper.noopDraft();
        this.reconfiguration = new Reconfiguration(options.selfEndpoint(), leadership, configuration, deadlines, worker,
                noop == null ? null : () -> proposals.propose(noop, ProposalOptions.once(options.requestTimeoutMs())),
                options.electionTimeoutMs());
        peerCalls.register(MemberStatusService.NAME, new MemberStatusService(this::localStatus));
    }

    /**
     * Tests only, before {@link #start()}: builds jraft's options for this member instead of
     * {@code MemberNodeOptions::new} (a subclass may hold jraft at one of its getters to force a race).
     */
    synchronized void nodeOptions(java.util.function.Function<Transport, MemberNodeOptions> factory) {
        if (started) {
            throw new IllegalStateException("before start()");
        }
        this.nodeOptionsFactory = Objects.requireNonNull(factory);
    }

    public synchronized void start() throws IOException {
        if (started || closed) {
            throw new IllegalStateException("start() once, before close()");
        }
        started = true;
        try {
            doStart();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void doStart() throws IOException {
        // First: a broken keystore fails the start before any state is opened.
        Transport transport = transport(options);
        Files.createDirectories(options.raftLogDir());
        Files.createDirectories(options.raftMetaDir());
        Files.createDirectories(options.raftSnapshotDir());
        target.open();
        targetOpen = true;

        PeerId self = parse(options.selfEndpoint());
        Configuration conf = new Configuration();
        if (!options.join()) {
            for (String p : options.peers()) {
                conf.addPeer(parse(p));
            }
        }
        RaftOptions raft = new RaftOptions();
        raft.setSync(options.sync());
        // jraft waits electionTimeout + random(0, maxElectionDelayMs, default 1 s) before a candidacy; the
        // spread only has to break ties between followers, so a quarter of the timeout cuts failover by up
        // to ~0.75 s without touching the leader lease (that is electionTimeout alone).
        raft.setMaxElectionDelayMs(Math.max(50, options.electionTimeoutMs() / 4));
        NodeOptions node = nodeOptionsFactory.apply(transport);
        node.setRaftOptions(raft);
        node.setElectionTimeoutMs(options.electionTimeoutMs());
        node.setSnapshotIntervalSecs(options.snapshotIntervalSecs());
        node.setInitialConf(conf);
        node.setFsm(fsm);
        node.setLogUri(options.raftLogDir().toString());
        node.setRaftMetaUri(options.raftMetaDir().toString());
        node.setSnapshotUri(options.raftSnapshotDir().toString());
        // jraft's own Dropwizard registry (exported by the coordinator's /metrics, see jraftMetrics()).
        node.setEnableMetrics(options.enableMetrics());
        // jraft's per-node election, vote, step-down and snapshot timers are hashed wheels that tick every
        // millisecond whether or not anything is due: four threads waking 1,000 times a second each, which
        // was most of an idle node's CPU. The shared timers are scheduled executors that sleep until the
        // next deadline; the deadlines themselves are unchanged.
        node.setSharedElectionTimer(true);
        node.setSharedVoteTimer(true);
        node.setSharedStepDownTimer(true);
        node.setSharedSnapshotTimer(true);

        ProtoWire.register();
        forwardClient.start(transport.clientConfig());
        RpcServer rpcServer = RaftPort.create(options.bindHost(), self.getPort(), transport);
        rpcServer.registerProcessor(new ForwardProcessor(options.groupId(), proposals, worker, this::resultBytes));
        rpcServer.registerProcessor(peerCalls);
        RaftGroupService svc = new RaftGroupService(options.groupId(), self, node, rpcServer);
        this.service = svc;
        Node started = svc.start();
        if (started == null) {
            throw new IOException("jraft node " + self + " failed to start (see log)");
        }
        proposals.attach(started, forwardClient);
        reads.attach(started);
        configuration.attach(() -> currentConfiguration(started));
        // The floor for configuration changes no event announces on this member (a follower learns a new
        // learner from a log entry jraft does not report): re-read at least every second.
        deadlines.every(ConfigurationTracker.REREAD_MS, configuration::poke);
        snapshots.attach(started);
        reconfiguration.attach(started);
        int fast = options.deadLeaderElectionTimeoutMs();
        if (fast > 0 && fast < options.electionTimeoutMs()) {
            leaderLoss = new LeaderLossDetector(options.selfEndpoint(), options.electionTimeoutMs(), fast,
                    started::resetElectionTimeoutMs, () -> configuration.current().voters(), () -> {
                        PeerId leader = started.getLeaderId();
                        return leader == null || leader.isEmpty() ? null : GroupStateMachine.endpoint(leader);
                    }, transport.watchLayer(), LeaderLossDetector.KEEPALIVE_MS);
            leadership.addChangeListener(leaderLoss);
        }
        // Published last: propose()/readBarrier() treat a null node as "not started".
        this.node = started;
        LOG.info("raft group {} member {} started, raft port on {}:{} ({}), configuration {}", options.groupId(), self,
                options.bindHost(), self.getPort(), transport.secure() ? "mutual TLS" : "plain TCP, no TLS",
                configuration.current());
        explainConfiguration(configuration.current());
    }

    /**
     * One line when the configuration this member runs with is not the configured member list: the list
     * only bootstraps a new group, and a member restarted with a stale file follows the replicated one.
     */
    private void explainConfiguration(GroupConfiguration running) {
        if (running.isEmpty()) {
            LOG.info("raft group {} member {} has no configuration yet: it joins a running group and waits until "
                    + "the leader adds it (as a learner, then a voter)", options.groupId(), options.selfEndpoint());
        } else if (!new java.util.HashSet<>(running.all()).equals(new java.util.HashSet<>(options.peers()))) {
            LOG.info("raft group {} member {}: following the replicated configuration ({}), not the configured "
                    + "member list {}, which only bootstraps a new group{}", options.groupId(),
                    options.selfEndpoint(), running, options.peers(), running.contains(options.selfEndpoint()) ? ""
                            : "; this member is not part of it (removed?) and will not vote or serve as leader");
        }
    }

    private static GroupConfiguration currentConfiguration(Node node) {
        Configuration c = node instanceof com.alipay.sofa.jraft.core.NodeImpl impl ? impl.getCurrentConf() : null;
        if (c == null) {
            return GroupConfiguration.EMPTY;
        }
        return new GroupConfiguration(c.getPeers().stream().map(GroupStateMachine::endpoint).toList(),
                c.getLearners().stream().map(GroupStateMachine::endpoint).toList());
    }

    private static Transport transport(RaftGroupOptions options) throws IOException {
        if (options.tls() == null) {
            if (!isLoopback(options.bindHost())) {
                LOG.warn("raft group {} member {}: the raft port on {} is plain TCP without member TLS; anyone who can "
                        + "reach it can act as a member", options.groupId(), options.selfEndpoint(), options.bindHost());
            }
            return Transport.plain();
        }
        if (!(RpcFactoryHelper.rpcFactory() instanceof MemberRpcFactory)) {
            // Without our factory jraft's replication client would speak plain TCP (and be refused).
            throw new IllegalStateException("jraft's RPC factory is " + RpcFactoryHelper.rpcFactory().getClass().getName()
                    + ", not " + MemberRpcFactory.class.getName() + ": was META-INF/services/"
                    + "com.alipay.sofa.jraft.rpc.RaftRpcFactory lost when the jar was built?");
        }
        MemberCredentials credentials = MemberCredentials.load(options.tls());
        LOG.info("raft group {} member {}: TLS as {}", options.groupId(), options.selfEndpoint(), credentials.describe());
        return Transport.tls(credentials, options.selfEndpoint(), RefusalLog.DEFAULT_QUIET_NANOS);
    }

    /**
     * Replicates a draft and completes with the apply result of its log entry, as bytes. Callable on any
     * member: the leader stamps it (ids, time; on the calling thread) and proposes it with its term as the
     * expected term; a follower forwards the unstamped draft to the leader. Without a leader it waits for
     * one. Completes within the request timeout, failing with a {@link GroupException}.
     */
    public CompletableFuture<byte[]> propose(byte[] draft) {
        Objects.requireNonNull(draft, "draft");
        return propose((Object) draft, ProposalOptions.once(options.requestTimeoutMs())).thenApply(this::resultBytes);
    }

    /**
     * Replicates a draft the caller holds as an object (its {@link CommandStamper} stamps it on the leader
     * and serialises it only to forward it). Completes with the target's result object when this member
     * applied the entry for this call, or with the result's bytes when the leader answered a forward;
     * fails with a {@link GroupException} within {@code options.timeoutMs()}.
     */
    public CompletableFuture<Object> propose(Object draft, ProposalOptions options) {
        Objects.requireNonNull(draft, "draft");
        if (node == null) {
            return CompletableFuture.failedFuture(new GroupException(Kind.UNAVAILABLE, "group not started"));
        }
        return proposals.propose(draft, options);
    }

    private byte[] resultBytes(Object result) {
        return result instanceof byte[] b ? b : target.resultBytes(result);
    }

    /**
     * Offers {@code service} to the other members under {@code name} over the raft port (with member TLS
     * only members reach it; in plain mode whoever reaches the port). Register before {@link #start()}.
     */
    public void registerPeerService(String name, PeerService service) {
        peerCalls.register(name, service);
    }

    /** Calls a service another member registered; fails if it is unreachable, unknown or errs. */
    public CompletableFuture<byte[]> callPeer(String endpoint, String service, byte[] payload, long timeoutMs) {
        if (node == null) {
            return CompletableFuture.failedFuture(new GroupException(Kind.UNAVAILABLE, "group not started"));
        }
        return forwardClient.call(endpoint, service, payload, timeoutMs);
    }

    /** Completes once this replica has applied everything committed before the call (linearizable read). */
    public CompletableFuture<Void> readBarrier() {
        if (node == null) {
            return CompletableFuture.failedFuture(new GroupException(Kind.UNAVAILABLE, "group not started"));
        }
        return reads.readBarrier();
    }

    /** Takes a snapshot now (jraft then truncates the log before it). */
    public CompletableFuture<Void> snapshotNow() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        Node n = node;
        if (n == null) {
            return CompletableFuture.failedFuture(new GroupException(Kind.UNAVAILABLE, "group not started"));
        }
        n.snapshot(st -> worker.execute(() -> complete(f, st)));
        return deadlines.bound(f, Math.max(options.requestTimeoutMs(), 60_000), "snapshot", () -> Kind.TIMEOUT);
    }

    private static void complete(CompletableFuture<Void> f, Status st) {
        if (st.isOk()) {
            f.complete(null);
        } else {
            f.completeExceptionally(Failures.fromStatus(st));
        }
    }

    /** Added while this member leads, the listener gets onLeaderStart(term) at once (exactly once). */
    public void addLeaderListener(LeaderListener listener) {
        leadership.addLeaderListener(Objects.requireNonNull(listener));
    }

    /** Added after the first change, the listener hears the current (term, leader) at once. */
    public void addLeaderChangeListener(LeaderChangeListener listener) {
        leadership.addChangeListener(Objects.requireNonNull(listener));
    }

    /** True once this node leads and has applied every entry of earlier terms (jraft onLeaderStart). */
    public boolean isLeader() {
        return leadership.state().selfLeader();
    }

    /** The latest term in which this node saw a leader or led; 0 before the first. */
    public long currentTerm() {
        return leadership.state().term();
    }

    public Optional<String> leaderEndpoint() {
        return Optional.ofNullable(leadership.state().leader());
    }

    /** Voters and learners of the current configuration, "host:port" each. */
    public List<String> peers() {
        return configuration.current().all();
    }

    /** The group's configuration as this member knows it (the latest in its log). */
    public GroupConfiguration configuration() {
        return configuration.current();
    }

    /**
     * Hears every change of {@link #configuration()}, on the group's event thread; added after start it
     * hears the current one at once.
     */
    public void addConfigurationListener(java.util.function.Consumer<GroupConfiguration> listener) {
        configuration.addListener(Objects.requireNonNull(listener));
    }

    /** Leader only: {@code endpoint} starts receiving the log (a snapshot first if needed) without voting. */
    public CompletableFuture<Void> addLearner(String endpoint, long timeoutMs) {
        return reconfiguration.addLearner(endpoint, timeoutMs);
    }

    /** Leader only: {@code endpoint} (a learner that has caught up, normally) becomes a voter. */
    public CompletableFuture<Void> promoteToVoter(String endpoint, long timeoutMs) {
        return reconfiguration.promote(endpoint, timeoutMs);
    }

    /** Leader only: {@code endpoint} (voter or learner) leaves the configuration. */
    public CompletableFuture<Void> removeMember(String endpoint, long timeoutMs) {
        return reconfiguration.remove(endpoint, timeoutMs);
    }

    /** Leader only: hands leadership to {@code endpoint}; completes with the new leader's endpoint. */
    public CompletableFuture<String> transferLeadership(String endpoint, long timeoutMs) {
        return reconfiguration.transferLeadership(endpoint, timeoutMs);
    }

    /**
     * Leader only: hands leadership to the voter that has applied the most entries (asked over the raft
     * port; a voter that does not answer within {@code timeoutMs / 4} is not a candidate), so it is ready to
     * serve soonest. Fails if no other voter answers.
     */
    public CompletableFuture<String> transferLeadershipToBest(long timeoutMs) {
        long askMs = Math.max(100, timeoutMs / 4);
        List<String> others = configuration.current().voters().stream()
                .filter(v -> !v.equals(options.selfEndpoint())).toList();
        List<CompletableFuture<io.tessera.raft.group.proto.MemberStatus>> asked = others.stream()
                .map(v -> memberStatus(v, askMs).exceptionally(e -> null)).toList();
        return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new)).thenCompose(v -> {
            String best = null;
            long bestIndex = -1;
            for (int i = 0; i < others.size(); i++) {
                var st = asked.get(i).join();
                if (st != null && !st.getHalted() && st.getAppliedIndex() > bestIndex) {
                    best = others.get(i);
                    bestIndex = st.getAppliedIndex();
                }
            }
            if (best == null) {
                return CompletableFuture.failedFuture(new GroupException(Kind.UNAVAILABLE,
                        "no other voter answered; nobody to hand leadership to"));
            }
            return transferLeadership(best, Math.max(1, timeoutMs - askMs));
        });
    }

    /** What member {@code endpoint} says about itself (this member answers directly). */
    public CompletableFuture<io.tessera.raft.group.proto.MemberStatus> memberStatus(String endpoint, long timeoutMs) {
        if (endpoint.equals(options.selfEndpoint())) {
            return CompletableFuture.completedFuture(localStatus());
        }
        return callPeer(endpoint, MemberStatusService.NAME, new byte[0], timeoutMs).thenApply(MemberStatusService::parse);
    }

    private io.tessera.raft.group.proto.MemberStatus localStatus() {
        Node n = node;
        long lastLog = 0;
        if (n != null) {
            try {
                lastLog = n.getLastLogIndex();
            } catch (IllegalStateException notActive) {
                lastLog = 0;
            }
        }
        Leadership.State st = leadership.state();
        return io.tessera.raft.group.proto.MemberStatus.newBuilder()
                .setAppliedIndex(lastAppliedIndex())
                .setLastLogIndex(lastLog)
                .setTerm(st.term())
                .setLeader(st.leader() == null ? "" : st.leader())
                .setHalted(isHalted())
                .setEndpoint(options.selfEndpoint())
                .build();
    }

    /** What the replication layer did (proposals in flight, forwards, snapshots), for monitoring. */
    public GroupStats stats() {
        return stats;
    }

    /** The highest log index this member knows committed (0 before start or when the node is not active). */
    public long lastCommittedIndex() {
        Node n = node;
        if (n == null) {
            return 0;
        }
        try {
            return n.getLastCommittedIndex();
        } catch (IllegalStateException notActive) {
            return 0;
        }
    }

    /** The last index of this member's log (0 before start or when the node is not active). */
    public long lastLogIndex() {
        Node n = node;
        if (n == null) {
            return 0;
        }
        try {
            return n.getLastLogIndex();
        } catch (IllegalStateException notActive) {
            return 0;
        }
    }

    /**
     * jraft's own metrics registry (Dropwizard), present once started with {@code enableMetrics}: replicator
     * lags, append/apply timers, thread pools. Read-only for exporters.
     */
    public Optional<com.codahale.metrics.MetricRegistry> jraftMetrics() {
        Node n = node;
        if (n == null || n.getNodeMetrics() == null || !n.getNodeMetrics().isEnabled()) {
            return Optional.empty();
        }
        return Optional.ofNullable(n.getNodeMetrics().getMetricRegistry());
    }

    /** The log index of the last snapshot this member saved or loaded (0: none yet). */
    public long lastSnapshotIndex() {
        return snapshots.lastSnapshotIndex();
    }

    /**
     * jraft's applied index on this replica (0 before start). A halted node no longer answers, so the
     * target's durable index is reported instead: after a halt nothing beyond it was applied.
     */
    public long lastAppliedIndex() {
        Node n = node;
        if (n == null) {
            return 0;
        }
        try {
            return n.getLastAppliedLogIndex();
        } catch (IllegalStateException notActive) {
            return target.lastAppliedIndex();
        }
    }

    public String selfEndpoint() {
        return options.selfEndpoint();
    }

    public String groupId() {
        return options.groupId();
    }

    /** The replica stopped applying after an apply error (ApplyHaltException) or another jraft error. */
    public boolean isHalted() {
        return fsm.halted();
    }

    /** Why the replica halted (the first error, e.g. a failed RocksDB write), empty while it is not halted. */
    public Optional<String> haltReason() {
        return fsm.haltReason();
    }

    public RaftGroupOptions options() {
        return options;
    }

    /** For tests in this package: the raw jraft node. */
    Node node() {
        return node;
    }

    /** For tests in this package: the dead-leader detector, null when it is off. */
    LeaderLossDetector leaderLossDetector() {
        return leaderLoss;
    }

    /** For tests in this package: proposes a stamped command with an explicit expected term. */
    CompletableFuture<byte[]> applyStamped(byte[] command, long expectedTerm) {
        return deadlines.bound(proposals.applyStamped(command, expectedTerm).thenApply(this::resultBytes),
                options.requestTimeoutMs(), "applyStamped", () -> Kind.TIMEOUT);
    }

    private boolean unavailable() {
        return closed || fsm.halted();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        leadership.close();
        LeaderLossDetector detector = leaderLoss;
        if (detector != null) {
            detector.close();
        }
        RaftGroupService svc = service;
        if (svc != null) {
            svc.shutdown();
            try {
                svc.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        forwardClient.close();
        deadlines.close();
        worker.shutdown();
        events.shutdown();
        try {
            events.awaitTermination(5, TimeUnit.SECONDS);
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (targetOpen) {
            // Only after join(): the FSM thread is gone, nothing can touch the target any more.
            target.close();
        }
        LOG.info("raft group {} member {} closed", options.groupId(), options.selfEndpoint());
    }

    private static boolean isLoopback(String host) {
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static PeerId parse(String endpoint) {
        PeerId p = PeerId.parsePeer(endpoint);
        if (p == null || p.isEmpty()) {
            throw new IllegalArgumentException("bad endpoint " + endpoint + ", expected host:port");
        }
        return p;
    }

    private static ExecutorService singleThread(String name) {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), daemon(name));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
