package io.tessera.coordinator;

import io.tessera.codec.BodyCodec;
import io.tessera.codec.FrameCodec;
import io.tessera.codec.protobuf.ProtobufBodyCodec;
import io.tessera.codec.seata.SeataBodyCodec;
import io.tessera.coordinator.clientauth.ClientAuth;
import io.tessera.coordinator.cluster.ClusterView;
import io.tessera.coordinator.config.NodeConfig;
import io.tessera.coordinator.control.AuthState;
import io.tessera.coordinator.control.ControlServer;
import io.tessera.coordinator.control.LocalAuthState;
import io.tessera.coordinator.transport.ClientRole;
import io.tessera.coordinator.transport.ClientSessions;
import io.tessera.coordinator.transport.RmChannels;
import io.tessera.coordinator.transport.RmRequestSender;
import io.tessera.coordinator.transport.TransactionServer;
import io.tessera.coordinator.transport.TransactionService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires one node: transaction port, control port and the RM registry/sender, over a
 * {@link ClusterView} and a {@link TransactionService} supplied by the caller. The RM registry and
 * sender can be created first ({@code new RmChannels()}, {@link #rmSenderFor}) and handed to the
 * service's phase-two driver before the runtime is built.
 */
public final class NodeRuntime implements AutoCloseable {
    /** Seata version we speak and announce (registration answers, raft metadata). */
    public static final String SEATA_COMPAT_VERSION = "2.5.0";
    private static final Logger LOG = LoggerFactory.getLogger(NodeRuntime.class);

    private final NodeConfig config;
    private final ClusterView view;
    private final RmChannels rmChannels;
    private final RmRequestSender rmSender;
    private final ClientSessions sessions;
    private final TransactionServer transactionServer;
    private final ControlServer controlServer;
    private boolean started;

    /** A front end without a Raft group: its control port signs tokens with a key of its own. */
    public NodeRuntime(NodeConfig config, ClusterView view, TransactionService service) {
        this(config, view, service, new RmChannels(), null, defaultBodyCodecs(), new LocalAuthState(true),
                clientAuthFor(config));
    }

    /**
     * @param rmSender null = create one over {@code rmChannels} with the configured RM timeout
     * @param auth the control port's token key and API-set credentials (replicated state in a node)
     * @param clientAuth shared with the TC service (xid ownership); read by {@link #start()}
     */
    public NodeRuntime(NodeConfig config, ClusterView view, TransactionService service, RmChannels rmChannels,
            RmRequestSender rmSender, List<BodyCodec> bodyCodecs, AuthState auth, ClientAuth clientAuth) {
        this.config = config;
        this.view = view;
        this.rmChannels = rmChannels;
        this.rmSender = rmSender != null ? rmSender : rmSenderFor(config, rmChannels);
        this.sessions = new ClientSessions(rmChannels, this.rmSender);
        this.transactionServer = new TransactionServer(new TransactionServer.Settings(config.nodeId(),
                config.bindHost(), config.transactionPort(), config.readerIdleSeconds(), config.executorThreads(),
                config.requestTimeoutMs(), SEATA_COMPAT_VERSION, config.maxInflightRequests(),
                config.transactionLimits()),
                new FrameCodec(config.maxFrameLength(), bodyCodecs), service, sessions, clientAuth);
        this.controlServer = new ControlServer(new ControlServer.Settings(config.nodeId(), config.bindHost(),
                config.controlPort(), SEATA_COMPAT_VERSION, config.security().registry(), config.security().admin(),
                config.controlLimits()), view, auth, this::localStats);
    }

    public static List<BodyCodec> defaultBodyCodecs() {
        return List.of(new SeataBodyCodec(), new ProtobufBodyCodec());
    }

    /** Client signatures are checked when {@code client-auth.keys-file} is set; the file is read at start. */
    public static ClientAuth clientAuthFor(NodeConfig config) {
        return new ClientAuth(config.security().clientAuthKeysFile());
    }

    public static RmRequestSender rmSenderFor(NodeConfig config, RmChannels channels) {
        return new RmRequestSender(channels, config.rmRequestTimeoutMs());
    }

    /** Binds both ports; on failure closes what was opened and throws the one-line ConfigException. */
    public void start() {
        PortCheck.ensureFree(config.bindHost(), config.raftPort(), "raft");
        try {
            transactionServer.start();
            controlServer.start();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        started = true;
        LOG.info("node {} up: transaction {}:{}, control {}:{}, raft {}:{}, group {}", config.nodeId(),
                config.advertisedHost(), config.transactionPort(), config.advertisedHost(), config.controlPort(),
                config.advertisedHost(), config.raftPort(), config.raftGroup());
    }

    public RmChannels rmChannels() {
        return rmChannels;
    }

    public RmRequestSender rmSender() {
        return rmSender;
    }

    public ClusterView clusterView() {
        return view;
    }

    public ControlServer controlServer() {
        return controlServer;
    }

    public int transactionPort() {
        return transactionServer.port();
    }

    public int controlPort() {
        return controlServer.port();
    }

    /** Transactional requests received and not answered yet (see TransactionServer). */
    public int inFlightRequests() {
        return transactionServer.inFlightRequests();
    }

    /** Client requests received on the transaction port since start. */
    public long receivedRequests() {
        return transactionServer.receivedRequests();
    }

    /** Monitoring of every dispatched request (call before {@link #start()}). */
    public void observeRequests(io.tessera.coordinator.transport.RequestObserver observer) {
        transactionServer.observeRequests(observer);
    }

    /** Registered connections of one client role (TM or RM). */
    public long connections(ClientRole role) {
        return sessions.count(role);
    }

    /** GlobalBegins refused by transaction.max-inflight-requests since start. */
    public long refusedBegins() {
        return transactionServer.refusedBegins();
    }

    private Map<String, Object> localStats() {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("tmConnections", sessions.count(ClientRole.TM));
        stats.put("rmConnections", sessions.count(ClientRole.RM));
        // transaction.max-inflight-requests: how near the node is to refusing begins, and how many it has refused.
        stats.put("inFlightRequests", transactionServer.inFlightRequests());
        stats.put("refusedBegins", transactionServer.refusedBegins());
        // transaction.max-connections and transaction.max-pending-frame-bytes: how near the node is to its bounds.
        stats.put("openConnections", transactionServer.openConnections());
        stats.put("pendingFrameBytes", transactionServer.pendingFrameBytes());
        stats.put("seataVersion", SEATA_COMPAT_VERSION);
        return stats;
    }

    /** Control port first (clients stop finding us), then the transaction port. */
    @Override
    public void close() {
        controlServer.close();
        transactionServer.close();
        if (started) {
            LOG.info("node {} stopped", config.nodeId());
            started = false;
        }
    }
}
