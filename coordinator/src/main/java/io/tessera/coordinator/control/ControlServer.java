package io.tessera.coordinator.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tessera.coordinator.cluster.ClusterView;
import io.tessera.coordinator.config.ConfigException;
import io.tessera.coordinator.config.NodeConfig.Credentials;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control (HTTP) port: {@code /health} and Seata's raft registry API (login, cluster metadata,
 * watch). Every route is cheap and non-blocking, so one event-loop thread serves them all; held
 * watches cost no thread.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);
    private static final int MAX_REQUEST_BYTES = 64 * 1024;

    private final String bindHost;
    private final int port;
    private final ControlRouter router;
    private final WatchRoute watchRoute;
    private EventLoopGroup group;
    private Channel serverChannel;

    /**
     * @param port 0 picks a free port (tests)
     * @param localStats extra fields for /health (connection counts, …); called on the event loop
     */
    public ControlServer(String bindHost, int port, ClusterView view, Optional<Credentials> credentials,
            String seataVersion, Supplier<Map<String, Object>> localStats) {
        this.bindHost = bindHost;
        this.port = port;
        ObjectMapper mapper = new ObjectMapper();
        TokenAuthority authority = new TokenAuthority(credentials, System::currentTimeMillis);
        this.watchRoute = new WatchRoute(view);
        this.router = new ControlRouter(new HealthRoute(view, localStats, mapper), new LoginRoute(authority, mapper),
                new MetadataRoute(view, seataVersion, mapper), watchRoute, authority, mapper);
    }

    /** Registers an authenticated POST route (call before start). */
    public void addAuthorizedPost(String path, ControlRoute route) {
        router.addAuthorized(io.netty.handler.codec.http.HttpMethod.POST, path, route);
    }

    public void start() {
        group = new NioEventLoopGroup(1, new DefaultThreadFactory("control"));
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_REQUEST_BYTES),
                                router);
                    }
                });
        try {
            serverChannel = bootstrap.bind(bindHost, port).syncUninterruptibly().channel();
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new ConfigException("control port " + bindHost + ":" + port + " cannot be bound: " + e.getMessage(), e);
        }
        LOG.info("control port listening on {}", serverChannel.localAddress());
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    int pendingWatches() {
        return watchRoute.pendingCount();
    }

    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
