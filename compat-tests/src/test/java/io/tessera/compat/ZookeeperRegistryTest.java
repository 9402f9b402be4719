package io.tessera.compat;

import io.tessera.coordinator.config.RegistryConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;

/**
 * {@code registry.type=zk} against a real ZooKeeper server (Curator's TestingServer: ZooKeeper 3.6 in
 * this JVM, ephemeral port, temp dir). Nodes keep EPHEMERAL {@code /registry/zk/default/<ip>:<port>};
 * the killed node's entry goes when its 4 s session expires.
 */
class ZookeeperRegistryTest extends RegistryDiscoveryTestBase {
    private TestingServer server;
    private CuratorFramework reader;

    @Override
    void startServer(Path dir) throws Exception {
        // tickTime 500 ms: sessions of 1..10 s are allowed, so a 4 s session expires a dead node quickly.
        server = new TestingServer(new InstanceSpec(dir.toFile(), -1, -1, -1, true, -1, 500, -1), true);
        reader = CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryOneTime(200));
        reader.start();
    }

    @Override
    InetSocketAddress serverAddress() {
        return new InetSocketAddress("127.0.0.1", server.getPort());
    }

    @Override
    RegistryConfig nodeRegistry(String hostPort) {
        return RegistryConfig.of(Map.of("registry.type", "zk", "registry.zk.serverAddr", hostPort,
                "registry.zk.cluster", "default", "registry.zk.sessionTimeout", "4000"));
    }

    @Override
    void configureClient() {
        System.setProperty("registry.type", "zk");
        System.setProperty("registry.zk.serverAddr", server.getConnectString());
    }

    @Override
    Set<String> registered() throws Exception {
        try {
            return new TreeSet<>(reader.getChildren().forPath("/registry/zk/default"));
        } catch (KeeperException.NoNodeException e) {
            return Set.of();
        }
    }

    @Override
    void stopServer() throws Exception {
        if (reader != null) {
            reader.close();
        }
        if (server != null) {
            server.close();
        }
    }
}
