package io.tessera.coordinator.registry;

import io.tessera.coordinator.config.RegistryConfig;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * Seata's Redis registry layout (RedisRegistryServiceImpl): the string key
 * {@code registry.redis.<cluster>_<ip>:<port>} written with {@code SETEX} and a 5 s TTL, refreshed every
 * 2 s; {@code "<ip>:<port>-register"} / {@code "-unregister"} published on channel
 * {@code registry.redis.<cluster>}. Clients scan the keys every 2 s and apply the messages at once. On
 * stop the key is also deleted (Seata's server leaves it to expire), so it is gone at once.
 */
public final class RedisRegistrar implements Registrar {
    static final int KEY_TTL_SECONDS = 5;
    static final long REFRESH_MS = 2_000;
    private static final int TIMEOUT_MS = 2_000;

    private final InetSocketAddress server;
    private final String password;
    private final int db;
    private final String address;
    private final String key;
    private final String channel;
    private final String value;
    private final RegistrationState state;
    private final RenewalLoop loop;
    /** Touched on the loop thread only. */
    private Jedis jedis;

    public RedisRegistrar(RegistryConfig config, String advertisedAddress) {
        this.server = Endpoints.hostPort("registry.redis.serverAddr", config.get("registry.redis.serverAddr"));
        this.password = config.get("registry.redis.password");
        this.db = config.intValue("registry.redis.db");
        String cluster = config.get("registry.redis.cluster");
        this.address = advertisedAddress;
        this.key = "registry.redis." + cluster + "_" + advertisedAddress;
        this.channel = "registry.redis." + cluster;
        // Seata writes pid@hostname; clients ignore it, operators read it.
        this.value = ManagementFactory.getRuntimeMXBean().getName();
        this.state = new RegistrationState("redis " + server.getHostString() + ":" + server.getPort() + " " + key);
        this.loop = new RenewalLoop("tessera-registry-redis", state, this::refresh, this::disconnect, this::leave,
                2L * TIMEOUT_MS + 1_000);
    }

    @Override
    public boolean isRegistered() {
        return loop.isRegistered();
    }

    @Override
    public void start() {
        loop.start();
    }

    /** The key this node keeps alive. */
    public String key() {
        return key;
    }

    private long refresh() {
        connection().setex(key, KEY_TTL_SECONDS, value);
        if (state.registered()) {
            // Clients add the address at once instead of at their next scan.
            jedis.publish(channel, address + "-register");
        }
        return REFRESH_MS;
    }

    private Jedis connection() {
        if (jedis == null) {
            Jedis j = new Jedis(server.getHostString(), server.getPort(), TIMEOUT_MS);
            try {
                if (password != null) {
                    j.auth(password);
                }
                if (db != 0) {
                    j.select(db);
                }
            } catch (RuntimeException e) {
                j.close();
                throw e;
            }
            jedis = j;
        }
        return jedis;
    }

    private void disconnect() {
        if (jedis != null) {
            try {
                jedis.close();
            } catch (RuntimeException ignored) {
                // the connection is being dropped anyway
            }
            jedis = null;
        }
    }

    /** Deletes the key and announces the departure, if Redis answers within the timeout. */
    @Override
    public void close() {
        loop.close();
    }

    private boolean leave() {
        try {
            Pipeline p = connection().pipelined();
            p.del(key);
            p.publish(channel, address + "-unregister");
            p.sync();
            return true;
        } catch (RuntimeException e) {
            return false;
        } finally {
            disconnect();
        }
    }
}
