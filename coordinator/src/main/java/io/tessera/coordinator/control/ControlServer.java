package io.tessera.coordinator.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tessera.codec.text.ClientText;
import io.tessera.codec.text.LogBudget;
import io.tessera.coordinator.cluster.ClusterView;
import io.tessera.coordinator.config.ConfigException;
import io.tessera.coordinator.config.NodeConfig.ControlLimits;
import io.tessera.coordinator.config.NodeConfig.Credentials;
import io.tessera.raft.tx.ControlRole;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control (HTTP) port: {@code /health}, Seata's raft registry API (login, cluster metadata, watch) and
 * the admin API. Every route declares the role it needs (see {@link ControlRouter}); tokens are signed
 * with the cluster's key ({@link TokenAuthority}); logins are throttled per source ({@link LoginThrottle});
 * connections, request time and idle time are bounded ({@link ConnectionLimit}, {@link RequestDeadlines}),
 * requests to 64 KiB. Routes are cheap and non-blocking, so one event-loop thread serves them all; password
 * hashing runs on one auth worker thread.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);
    private static final int MAX_REQUEST_BYTES = 64 * 1024;
    /** Logins and credential changes waiting for the auth worker; beyond it they are answered "busy". */
    private static final int AUTH_QUEUE = 256;

    /**
     * @param port 0 picks a free port (tests)
     * @param client, admin the node's configured credentials of both roles (API-set ones replace them)
     */
    public record Settings(String nodeId, String bindHost, int port, String seataVersion, Credentials client,
            Credentials admin, ControlLimits limits) {
        public Settings {
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(admin, "admin");
            Objects.requireNonNull(limits, "limits");
        }
    }

    private final Settings settings;
    private final ControlRouter router;
    private final WatchRoute watchRoute;
    private final ConnectionLimit connections;
    private final LogBudget slowRequestLog = new LogBudget(5, 10_000_000_000L, System::nanoTime);
    private final ThreadPoolExecutor authWorker;
    private final Authenticator authenticator;
    private EventLoopGroup group;
    private Channel serverChannel;

    /** @param localStats extra fields for /health (connection counts, …); called on the event loop */
    public ControlServer(Settings settings, ClusterView view, AuthState auth, Supplier<Map<String, Object>> localStats) {
        this.settings = settings;
        ObjectMapper mapper = new ObjectMapper();
        this.authWorker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(AUTH_QUEUE),
                new DefaultThreadFactory("control-auth", true));
        this.authenticator = new Authenticator(settings.client(), settings.admin(), auth);
        TokenAuthority authority = new TokenAuthority(auth, System::currentTimeMillis);
        this.watchRoute = new WatchRoute(view);
        this.connections = new ConnectionLimit(settings.limits().maxConnections());
        this.router = new ControlRouter(authority, mapper);
        router.open(HttpMethod.GET, "/health", new HealthRoute(view, localStats, mapper));
        router.open(HttpMethod.POST, ControlRouter.LOGIN_PATH,
                new LoginRoute(authenticator, authority, LoginThrottle.defaults(), authWorker, mapper));
        router.add(HttpMethod.GET, "/metadata/v1/cluster", ControlRole.CLIENT,
                new MetadataRoute(view, mapper));
        router.add(HttpMethod.POST, "/metadata/v1/watch", ControlRole.CLIENT, watchRoute);
        router.add(HttpMethod.POST, RotateKeyRoute.PATH, ControlRole.ADMIN,
                new RotateKeyRoute(auth, settings.nodeId(), mapper));
        router.add(HttpMethod.PUT, CredentialsRoute.PATH, ControlRole.ADMIN,
                new CredentialsRoute(auth, authenticator, authWorker, settings.nodeId(), mapper));
    }

    /** Registers a route for tokens whose role covers {@code role} (call before start). */
    public void addRoute(HttpMethod method, String path, ControlRole role, ControlRoute route) {
        router.add(method, path, role, route);
    }

    /** Registers a route for tokens of {@code role} or requests carrying {@code alternative} (call before start). */
    public void addRoute(HttpMethod method, String path, ControlRole role, ScrapeCredential alternative,
            ControlRoute route) {
        router.add(method, path, role, alternative, route);
    }

    /** Registers an open probe route; only {@code /health/*} paths may be open (call before start). */
    public void addOpenRoute(HttpMethod method, String path, ControlRoute route) {
        router.open(method, path, route);
    }

    /**
     * Registers a public GET route for a static asset of the web console: only {@code /} and
     * {@code /ui/*} (files that hold no data; see {@link ControlRouter}). Call before start.
     */
    public void addAssetRoute(String path, ControlRoute route) {
        router.asset(path, route);
    }

    public void start() {
        group = new NioEventLoopGroup(1, new DefaultThreadFactory("control"));
        ControlLimits limits = settings.limits();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (!connections.admit(ch)) {
                            return;
                        }
                        RequestDeadlines deadlines = new RequestDeadlines(limits.requestTimeoutMs(),
                                limits.idleTimeoutMs(), slowRequestLog);
                        ch.pipeline().addLast(deadlines.bytes(), new HttpServerCodec(),
                                new HttpObjectAggregator(MAX_REQUEST_BYTES), deadlines.messages(), router);
                    }
                });
        try {
            serverChannel = bootstrap.bind(settings.bindHost(), settings.port()).syncUninterruptibly().channel();
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new ConfigException("control port " + settings.bindHost() + ":" + settings.port()
                    + " cannot be bound: " + e.getMessage(), e);
        }
        LOG.info("control port listening on {} (at most {} connections, requests within {} ms, idle {} ms)",
                serverChannel.localAddress(), limits.maxConnections(), limits.requestTimeoutMs(),
                limits.idleTimeoutMs());
    }

    /**
     * Logs, once, which control roles use credentials set through the API instead of this node's
     * configured ones (call when the replicated state is loaded).
     */
    public void logCredentialSources() {
        for (ControlRole role : ControlRole.values()) {
            if (authenticator.replicated(role)) {
                String key = role == ControlRole.CLIENT ? "registry.username/registry.password"
                        : "admin.username/admin.password";
                LOG.info("control {} role: the credentials set through the API (user '{}') override the configured {}",
                        role.wireName(), ClientText.of(authenticator.username(role)), key);
            }
        }
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    int pendingWatches() {
        return watchRoute.pendingCount();
    }

    int openConnections() {
        return connections.open();
    }

    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        authWorker.shutdownNow();
    }
}
