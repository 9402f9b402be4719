package io.tessera.admin;

import io.tessera.coordinator.config.MemberSpec;
import io.tessera.coordinator.config.NodeConfig;
import io.tessera.coordinator.tc.TcOptions;
import io.tessera.coordinator.testing.LocalCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** The shared in-process cluster with the test credentials and a settable snapshot interval. */
final class TestCluster extends LocalCluster {
    static final TcOptions FAST = new TcOptions(4_000, 2_000, 200, 500, 60_000, 60_000);

    private int snapshotIntervalSeconds = 3600;

    TestCluster(Path dataRoot, int size) {
        super(dataRoot, size, FAST);
    }

    TestCluster snapshotIntervalSeconds(int seconds) {
        this.snapshotIntervalSeconds = seconds;
        return this;
    }

    @Override
    public TestCluster start() throws IOException {
        super.start();
        return this;
    }

    @Override
    protected NodeConfig config(int i) {
        return NodeConfig.builder(members().get(i).id(), dataDir(i), configuredMembers(i), security(i))
                .electionTimeoutMs(600).snapshotIntervalSeconds(snapshotIntervalSeconds).rmRequestTimeoutMs(3000)
                .readerIdleSeconds(120).lifecycle(new NodeConfig.Lifecycle(joining(i), 50_000, 2_000))
                .recovery(FAST_RECOVERY).build();
    }

    String controlAddresses() {
        return members().stream().map(m -> m.host() + ":" + m.controlPort()).collect(Collectors.joining(","));
    }

    /** One properties file per node, as an operator would write them (absolute data.dir). */
    Path writeConf(Path confDir) throws IOException {
        Files.createDirectories(confDir);
        String list = members().stream().map(MemberSpec::toString).collect(Collectors.joining(","));
        for (int i = 0; i < members().size(); i++) {
            String id = members().get(i).id();
            Files.writeString(confDir.resolve(id + ".properties"), "node.id=" + id + "\n"
                    + "cluster.members=" + list + "\n"
                    + "raft.group=default\n"
                    + "data.dir=" + dataDir(i) + "\n");
        }
        return confDir;
    }
}
