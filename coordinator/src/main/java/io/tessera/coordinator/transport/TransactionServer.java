package io.tessera.coordinator.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tessera.codec.FrameCodec;
import io.tessera.codec.FrameDecoder;
import io.tessera.codec.FrameEncoder;
import io.tessera.codec.PendingFrameBudget;
import io.tessera.coordinator.clientauth.ClientAuth;
import io.tessera.coordinator.clientauth.RegistrationAuthenticator;
import io.tessera.coordinator.config.ConfigException;
import io.tessera.coordinator.config.NodeConfig;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Seata transaction port. Pipeline per connection: reader-idle close (spec §9.3), frame decoder
 * and encoder, {@link ConnectionHandler}. Requests run on a bounded executor, never on the event
 * loop; a full executor answers "busy" rather than dropping the request. With
 * {@link Settings#maxInflightRequests()} mutating requests in flight, a new GlobalBegin is refused at
 * once ({@link Admission}); requests of transactions already begun are always served.
 *
 * <p>What one client can hold is bounded ({@link NodeConfig.TransactionLimits}): connections per node
 * and per source address (refused at accept), time to register, time to finish a frame once it has
 * started, bytes held in partial frames across the node, and the size of registered and requested
 * fields. Log lines caused by clients are escaped and budgeted per connection, source and node.
 */
public final class TransactionServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionServer.class);
    private static final int QUEUE_CAPACITY = 10_000;

    /** Default bound on mutating requests in flight per node (see {@link Admission}). */
    public static final int DEFAULT_MAX_INFLIGHT_REQUESTS = 1_000;

    /**
     * @param port 0 picks a free port (tests)
     * @param maxInflightRequests mutating requests in flight on this node above which a new GlobalBegin
     *     is refused at once with BeginFailed; 0 or less = no bound
     */
    public record Settings(String nodeId, String bindHost, int port, int readerIdleSeconds, int executorThreads,
            long requestTimeoutMs, String serverVersion, int maxInflightRequests, NodeConfig.TransactionLimits limits) {

        public Settings(String nodeId, String bindHost, int port, int readerIdleSeconds, int executorThreads,
                long requestTimeoutMs, String serverVersion) {
            this(nodeId, bindHost, port, readerIdleSeconds, executorThreads, requestTimeoutMs, serverVersion,
                    DEFAULT_MAX_INFLIGHT_REQUESTS);
        }

        public Settings(String nodeId, String bindHost, int port, int readerIdleSeconds, int executorThreads,
                long requestTimeoutMs, String serverVersion, int maxInflightRequests) {
            this(nodeId, bindHost, port, readerIdleSeconds, executorThreads, requestTimeoutMs, serverVersion,
                    maxInflightRequests, NodeConfig.TransactionLimits.defaults());
        }

        public Settings withLimits(NodeConfig.TransactionLimits v) {
            return new Settings(nodeId, bindHost, port, readerIdleSeconds, executorThreads, requestTimeoutMs,
                    serverVersion, maxInflightRequests, v);
        }
    }

    private final Settings settings;
    private final FrameCodec frameCodec;
    private final TransactionService service;
    private final ClientSessions sessions;
    private final Admission admission;
    private RequestObserver observer = RequestObserver.NONE;
    private final ClientAuth clientAuth;
    private final ConnectionLimiter connections;
    private final PendingFrameBudget pendingFrames;
    private final LogLimiter logs = new LogLimiter();
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private ThreadPoolExecutor executor;
    private Channel serverChannel;

    public TransactionServer(Settings settings, FrameCodec frameCodec, TransactionService service,
            ClientSessions sessions) {
        this(settings, frameCodec, service, sessions, ClientAuth.off());
    }

    /** @param clientAuth started before {@link #start()} when on (its keys are read then) */
    public TransactionServer(Settings settings, FrameCodec frameCodec, TransactionService service,
            ClientSessions sessions, ClientAuth clientAuth) {
        this.settings = settings;
        this.frameCodec = frameCodec;
        this.service = service;
        this.sessions = sessions;
        this.clientAuth = clientAuth;
        this.admission = new Admission(settings.maxInflightRequests(), settings.nodeId());
        NodeConfig.TransactionLimits limits = settings.limits();
        this.connections = new ConnectionLimiter(limits.maxConnections(), limits.maxConnectionsPerSource());
        this.pendingFrames = new PendingFrameBudget(limits.maxPendingFrameBytes());
    }

    /** Monitoring of every dispatched request (call before {@link #start()}). */
    public void observeRequests(RequestObserver observer) {
        this.observer = java.util.Objects.requireNonNull(observer, "observer");
    }

    public void start() {
        clientAuth.start();
        NodeConfig.TransactionLimits limits = settings.limits();
        FieldLimits fields = new FieldLimits(limits);
        ConnectionRules rules = new ConnectionRules(settings.serverVersion(), limits.registrationTimeoutMs(), fields,
                new RegistrationAuthenticator(clientAuth, Clock.systemUTC()));
        executor = new ThreadPoolExecutor(settings.executorThreads(), settings.executorThreads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE_CAPACITY), new DefaultThreadFactory("tx-request"));
        RequestDispatcher dispatcher = new RequestDispatcher(service, executor, settings.requestTimeoutMs(),
                settings.nodeId(), admission, fields, observer);
        boss = new NioEventLoopGroup(1, new DefaultThreadFactory("tx-accept"));
        workers = new NioEventLoopGroup(Math.min(4, Runtime.getRuntime().availableProcessors()),
                new DefaultThreadFactory("tx-io"));
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        String source = ch.remoteAddress().getAddress().getHostAddress();
                        if (!admit(ch, source)) {
                            return;
                        }
                        ch.pipeline().addLast(
                                new IdleStateHandler(settings.readerIdleSeconds(), 0, 0, TimeUnit.SECONDS),
                                new FrameDecoder(frameCodec, pendingFrames, limits.frameTimeoutMs()),
                                new FrameEncoder(frameCodec),
                                new ConnectionHandler(sessions, dispatcher, rules, limits.maxResourceIds(),
                                        logs.connection(source)));
                    }
                });
        try {
            serverChannel = bootstrap.bind(settings.bindHost(), settings.port()).syncUninterruptibly().channel();
        } catch (Exception e) {
            close();
            throw new ConfigException("transaction port " + settings.bindHost() + ":" + settings.port()
                    + " cannot be bound: " + e.getMessage(), e);
        }
        LOG.info("transaction port listening on {}", serverChannel.localAddress());
    }

    /**
     * Counts the connection against the caps, or closes it at once. The count is released by the
     * channel's close future, which fires exactly once for every accepted channel (also one closed
     * before it was ever active), so it cannot leak.
     */
    private boolean admit(SocketChannel ch, String source) {
        String refusal = connections.tryAdmit(source);
        if (refusal != null) {
            LogLimiter.Gate gate = logs.sourceOnly(source);
            if (gate.tryLog()) {
                LOG.warn("refusing connection from {}: {}{}", source, refusal, gate.suppressedNote());
            }
            ch.close();
            return false;
        }
        ch.closeFuture().addListener(f -> connections.release(source));
        return true;
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Mutating requests received and not yet answered (for stats). */
    public int inFlightRequests() {
        return admission.inFlight();
    }

    /** Open connections on the transaction port, registered or not (for stats). */
    public int openConnections() {
        return connections.open();
    }

    /** Bytes held in partial frames across all connections (for stats). */
    public long pendingFrameBytes() {
        return pendingFrames.held();
    }

    /** Client requests received since start, reads included (a graceful stop watches it come to rest). */
    public long receivedRequests() {
        return admission.admittedTotal();
    }

    /** GlobalBegin requests refused because the node was busy, since start (for stats). */
    public long refusedBegins() {
        return admission.refusedBegins();
    }

    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        // Connections first (clients see the close at once), then the request pool.
        if (workers != null) {
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (boss != null) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
