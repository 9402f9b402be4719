package io.tessera.bench;

import static org.awaitility.Awaitility.await;

import io.tessera.coordinator.config.MemberSpec;
import io.tessera.coordinator.config.NodeConfig;
import io.tessera.coordinator.tc.CoordinatorNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** N real coordinator nodes (jraft, RocksDB, Netty) in this JVM on ephemeral loopback ports. */
final class LocalCluster implements AutoCloseable {
    private final List<MemberSpec> members = new ArrayList<>();
    private final CoordinatorNode[] nodes;
    private final Path dir;

    LocalCluster(Path dir, int size) {
        this.dir = dir;
        for (int i = 1; i <= size; i++) {
            members.add(new MemberSpec("node" + i, "127.0.0.1", freePort(), freePort(), freePort()));
        }
        nodes = new CoordinatorNode[size];
    }

    LocalCluster start() throws IOException {
        for (int i = 0; i < nodes.length; i++) {
            NodeConfig c = new NodeConfig(members.get(i).id(), "127.0.0.1", dir.resolve(members.get(i).id()), members,
                    "default", 600, 3600, 5000, 5000, 15, 4, 8 * 1024 * 1024, null, null);
            nodes[i] = new CoordinatorNode(c);
            nodes[i].start();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> Arrays.stream(nodes)
                .anyMatch(n -> n != null && n.group().isLeader()));
        return this;
    }

    List<InetSocketAddress> transactionAddresses() {
        return members.stream().map(m -> new InetSocketAddress("127.0.0.1", m.transactionPort())).toList();
    }

    List<InetSocketAddress> controlAddresses() {
        return members.stream().map(m -> new InetSocketAddress("127.0.0.1", m.controlPort())).toList();
    }

    @Override
    public void close() {
        Arrays.stream(nodes).filter(Objects::nonNull).forEach(CoordinatorNode::close);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
