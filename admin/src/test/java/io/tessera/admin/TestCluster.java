package io.tessera.admin;

import static org.awaitility.Awaitility.await;

import io.tessera.coordinator.config.MemberSpec;
import io.tessera.coordinator.config.NodeConfig;
import io.tessera.coordinator.tc.CoordinatorNode;
import io.tessera.coordinator.tc.TcOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** N real coordinator nodes in this JVM on fresh ephemeral ports; data in {@code dataRoot/nodeN}. */
final class TestCluster implements AutoCloseable {
    static final TcOptions FAST = new TcOptions(4_000, 2_000, 200, 50, 500, 50, 60_000, 60_000);

    private final List<MemberSpec> members = new ArrayList<>();
    private final CoordinatorNode[] nodes;
    private final Path dataRoot;
    private final String username;
    private final String password;
    private int snapshotIntervalSeconds = 3600;

    TestCluster(Path dataRoot, int size, String username, String password) {
        this.dataRoot = dataRoot;
        this.username = username;
        this.password = password;
        for (int i = 1; i <= size; i++) {
            members.add(new MemberSpec("node" + i, "127.0.0.1", freePort(), freePort(), freePort()));
        }
        this.nodes = new CoordinatorNode[size];
    }

    TestCluster snapshotIntervalSeconds(int seconds) {
        this.snapshotIntervalSeconds = seconds;
        return this;
    }

    TestCluster start() throws IOException {
        for (int i = 0; i < nodes.length; i++) {
            start(i);
        }
        return this;
    }

    void start(int i) throws IOException {
        nodes[i] = new CoordinatorNode(config(i), FAST);
        nodes[i].start();
    }

    NodeConfig config(int i) {
        return new NodeConfig(members.get(i).id(), "127.0.0.1", dataDir(i), members, "default", 600, snapshotIntervalSeconds, 5000,
                3000, 120, 4, 8 * 1024 * 1024, username, password);
    }

    Path dataDir(int i) {
        return dataRoot.resolve(members.get(i).id());
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

    int size() {
        return nodes.length;
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

    int transactionPort(int i) {
        return members.get(i).transactionPort();
    }

    String controlAddresses() {
        return members.stream().map(m -> m.host() + ":" + m.controlPort()).collect(Collectors.joining(","));
    }

    /** One properties file per node, as an operator would write them (absolute data.dir). */
    Path writeConf(Path confDir) throws IOException {
        Files.createDirectories(confDir);
        String list = members.stream().map(MemberSpec::toString).collect(Collectors.joining(","));
        for (int i = 0; i < members.size(); i++) {
            String id = members.get(i).id();
            Files.writeString(confDir.resolve(id + ".properties"), "node.id=" + id + "\n"
                    + "cluster.members=" + list + "\n"
                    + "raft.group=default\n"
                    + "data.dir=" + dataDir(i) + "\n");
        }
        return confDir;
    }

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
