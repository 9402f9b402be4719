package io.tessera.coordinator.registry;

import io.tessera.coordinator.config.RegistryConfig;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Seata's ZooKeeper registry layout (ZookeeperRegisterServiceImpl): the EPHEMERAL node
 * {@code /registry/zk/<cluster>/<ip>:<port>} with data {@code true}, under persistent parents. Liveness
 * is the ZooKeeper session (timeout {@code registry.zk.sessionTimeout}): a dead node's entry goes when
 * its session expires. As Seata's server does, the node is created again on every (re)connection, since
 * a new session has lost the old session's ephemeral nodes. Clients list the children of the cluster
 * node and watch it.
 */
public final class ZookeeperRegistrar implements Registrar {
    static final String ROOT = "/registry/zk";
    private static final byte[] TRUE = "true".getBytes(StandardCharsets.UTF_8);

    private final CuratorFramework client;
    private final String path;
    private final int connectTimeoutMs;
    private final RegistrationState state;
    private final Backoff backoff = new Backoff(500, 30_000);
    private final ScheduledExecutorService executor;
    private volatile boolean closed;

    public ZookeeperRegistrar(RegistryConfig config, String advertisedAddress) {
        String servers = config.get("registry.zk.serverAddr");
        this.path = ROOT + "/" + config.get("registry.zk.cluster") + "/" + advertisedAddress;
        this.connectTimeoutMs = config.intValue("registry.zk.connectTimeout");
        CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder()
                .connectString(servers)
                .sessionTimeoutMs(config.intValue("registry.zk.sessionTimeout"))
                .connectionTimeoutMs(connectTimeoutMs)
                // Bounds one operation; reconnecting itself never stops (the ZooKeeper client keeps trying).
                .retryPolicy(new ExponentialBackoffRetry(500, 3, 4_000));
        String user = config.get("registry.zk.username");
        String password = config.get("registry.zk.password");
        if (user != null && password != null) {
            builder.authorization("digest", (user + ":" + password).getBytes(StandardCharsets.UTF_8));
        }
        this.client = builder.build();
        this.state = new RegistrationState("zk " + servers + " " + path);
        this.executor = Endpoints.thread("tessera-registry-zk");
    }

    /** The ephemeral node this node keeps. */
    public String path() {
        return path;
    }

    @Override
    public boolean isRegistered() {
        return state.isRegistered();
    }

    @Override
    public void start() {
        client.getConnectionStateListenable().addListener((c, newState) -> onState(newState), executor);
        client.start();
        // Curator reports state changes only after a first connection: say so once if there is none.
        executor.schedule(() -> {
            if (!closed && !client.getZookeeperClient().isConnected()) {
                state.failed("no connection to zookeeper within " + connectTimeoutMs + " ms");
            }
        }, connectTimeoutMs, TimeUnit.MILLISECONDS);
    }

    private void onState(ConnectionState newState) {
        if (closed) {
            return;
        }
        if (newState.isConnected()) {
            ensureNode();
        } else {
            state.failed("zookeeper connection " + newState.name().toLowerCase());
        }
    }

    /**
     * Creates the node unless this session already owns it. A node owned by another session is this
     * endpoint's previous incarnation (a restart within the session timeout) and would vanish under us
     * when that session expires: it is replaced.
     */
    private void ensureNode() {
        if (closed) {
            return;
        }
        try {
            long session = client.getZookeeperClient().getZooKeeper().getSessionId();
            Stat stat = client.checkExists().forPath(path);
            if (stat != null && stat.getEphemeralOwner() != session) {
                client.delete().forPath(path);
                stat = null;
            }
            if (stat == null) {
                client.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(path, TRUE);
            }
            state.registered();
            backoff.reset();
        } catch (KeeperException.NodeExistsException | KeeperException.NoNodeException e) {
            // Raced with an expiring node: look again soon.
            executor.schedule(this::ensureNode, backoff.next(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            state.failed(e.toString());
            if (client.getZookeeperClient().isConnected()) {
                executor.schedule(this::ensureNode, backoff.next(), TimeUnit.MILLISECONDS);
            }
            // Otherwise the next CONNECTED/RECONNECTED event calls ensureNode again.
        }
    }

    /**
     * Deletes the node when connected, then closes the session (which would remove an ephemeral node on
     * its own): clients see the node leave at once.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Future<Boolean> leave = executor.submit(() -> {
            if (!client.getZookeeperClient().isConnected()) {
                return false;
            }
            try {
                client.delete().forPath(path);
            } catch (KeeperException.NoNodeException e) {
                // already gone
            }
            return true;
        });
        boolean removed = false;
        try {
            removed = leave.get(connectTimeoutMs + 1_000L, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            leave.cancel(true);
        }
        client.close();
        executor.shutdownNow();
        state.deregistered(removed);
    }
}
