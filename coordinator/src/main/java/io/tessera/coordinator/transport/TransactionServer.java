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
import io.tessera.coordinator.config.ConfigException;
import java.net.InetSocketAddress;
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
            long requestTimeoutMs, String serverVersion, int maxInflightRequests) {

        public Settings(String nodeId, String bindHost, int port, int readerIdleSeconds, int executorThreads,
                long requestTimeoutMs, String serverVersion) {
            this(nodeId, bindHost, port, readerIdleSeconds, executorThreads, requestTimeoutMs, serverVersion,
                    DEFAULT_MAX_INFLIGHT_REQUESTS);
        }
    }

    private final Settings settings;
    private final FrameCodec frameCodec;
    private final TransactionService service;
    private final ClientSessions sessions;
    private final Admission admission;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private ThreadPoolExecutor executor;
    private Channel serverChannel;

    public TransactionServer(Settings settings, FrameCodec frameCodec, TransactionService service,
            ClientSessions sessions) {
        this.settings = settings;
        this.frameCodec = frameCodec;
        this.service = service;
        this.sessions = sessions;
        this.admission = new Admission(settings.maxInflightRequests(), settings.nodeId());
    }

    public void start() {
        executor = new ThreadPoolExecutor(settings.executorThreads(), settings.executorThreads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE_CAPACITY), new DefaultThreadFactory("tx-request"));
        RequestDispatcher dispatcher = new RequestDispatcher(service, executor, settings.requestTimeoutMs(),
                settings.nodeId(), admission);
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
                        ch.pipeline().addLast(
                                new IdleStateHandler(settings.readerIdleSeconds(), 0, 0, TimeUnit.SECONDS),
                                new FrameDecoder(frameCodec),
                                new FrameEncoder(frameCodec),
                                new ConnectionHandler(sessions, dispatcher, settings.serverVersion()));
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

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Mutating requests received and not yet answered (for stats). */
    public int inFlightRequests() {
        return admission.inFlight();
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
