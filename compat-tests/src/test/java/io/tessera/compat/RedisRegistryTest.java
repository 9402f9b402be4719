package io.tessera.compat;

import io.tessera.compat.failover.Checkout;
import io.tessera.coordinator.config.RegistryConfig;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import redis.clients.jedis.Jedis;
import redis.embedded.RedisServer;

/**
 * {@code registry.type=redis} against a real redis-server (the linux binary that the embedded-redis
 * artifact ships, run as a child process on a free port, no persistence, temp dir). Nodes keep the
 * key {@code registry.redis.default_<ip>:<port>} alive (5 s TTL, refreshed every 2 s); the killed node's
 * key expires.
 */
class RedisRegistryTest extends RegistryDiscoveryTestBase {
    private static final String PREFIX = "registry.redis.default_";
    private RedisServer server;
    private int port;

    @Override
    void startServer(Path dir) throws Exception {
        Files.createDirectories(dir);
        port = Checkout.freePort();
        server = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                .setting("save \"\"").setting("appendonly no").setting("dir " + dir).build();
        server.start();
    }

    @Override
    InetSocketAddress serverAddress() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    @Override
    RegistryConfig nodeRegistry(String hostPort) {
        return RegistryConfig.of(Map.of("registry.type", "redis", "registry.redis.serverAddr", hostPort));
    }

    @Override
    void configureClient() {
        System.setProperty("registry.type", "redis");
        System.setProperty("registry.redis.serverAddr", "127.0.0.1:" + port);
    }

    @Override
    Set<String> registered() {
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            Set<String> out = new TreeSet<>();
            for (String key : jedis.keys(PREFIX + "*")) {
                out.add(key.substring(PREFIX.length()));
            }
            return out;
        }
    }

    @Override
    void stopServer() throws Exception {
        if (server != null) {
            server.stop();
        }
    }
}
