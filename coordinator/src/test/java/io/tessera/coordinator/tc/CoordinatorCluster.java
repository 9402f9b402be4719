package io.tessera.coordinator.tc;

import static org.awaitility.Awaitility.await;

import io.tessera.coordinator.config.MemberSpec;
import io.tessera.coordinator.config.NodeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Three (or N) complete coordinator nodes in this JVM on ephemeral ports, each with its own data
 * directory under the test's temp dir.
 */
final class CoordinatorCluster implements AutoCloseable {
    private final List<MemberSpec> members = new ArrayList<>();
    private final CoordinatorNode[] nodes;
    private final Path dir;
    private final TcOptions options;

    CoordinatorCluster(Path dir, int size, TcOptions options) {
        this.dir = dir;
        this.options = options;
        for (int i = 1; i <= size; i++) {
            members.add(new MemberSpec("node" + i, "127.0.0.1", freePort(), freePort(), freePort()));
        }
        this.nodes = new CoordinatorNode[size];
    }

    CoordinatorCluster start() throws IOException {
        for (int i = 0; i < nodes.length; i++) {
            start(i);
        }
        return this;
    }

    void start(int i) throws IOException {
        NodeConfig c = new NodeConfig(members.get(i).id(), "127.0.0.1", dir.resolve(members.get(i).id()), members,
                "default", 600, 3600, 5000, 3000, 15, 4, 8 * 1024 * 1024, null, null);
        nodes[i] = new CoordinatorNode(c, options);
        nodes[i].start();
    }

    void stop(int i) {
        if (nodes[i] != null) {
            nodes[i].close();
            nodes[i] = null;
        }
    }

    CoordinatorNode node(int i) {
        return Objects.requireNonNull(nodes[i], "node " + i + " is stopped");
    }

    int leaderIndex() {
        await().atMost(Duration.ofSeconds(20)).until(() -> leaderOrMinus() >= 0);
        return leaderOrMinus();
    }

    private int leaderOrMinus() {
        for (int i = 0; i < nodes.length; i++) {
            if (nodes[i] != null && nodes[i].group().isLeader()) {
                return i;
            }
        }
        return -1;
    }

    int followerIndex() {
        int leader = leaderIndex();
        for (int i = 0; i < nodes.length; i++) {
            if (i != leader && nodes[i] != null) {
                return i;
            }
        }
        throw new IllegalStateException("no follower running");
    }

    int transactionPort(int i) {
        return members.get(i).transactionPort();
    }

    /** Every running replica has applied the same state. */
    void awaitSameState() {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            String first = null;
            for (CoordinatorNode n : nodes) {
                if (n == null) {
                    continue;
                }
                String d = n.stateMachine().view().digest();
                if (first == null) {
                    first = d;
                } else if (!first.equals(d)) {
                    return false;
                }
            }
            return true;
        });
    }

    @Override
    public void close() {
        for (int i = 0; i < nodes.length; i++) {
            stop(i);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
