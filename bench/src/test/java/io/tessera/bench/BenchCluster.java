package io.tessera.bench;

import io.tessera.coordinator.config.NodeConfig;
import io.tessera.coordinator.tc.TcOptions;
import io.tessera.coordinator.testing.LocalCluster;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/** The shared in-process cluster with production timings (the generator measures the real thing). */
final class BenchCluster extends LocalCluster {
    private static final int REQUEST_TIMEOUT_MS = 5000;

    BenchCluster(Path dir, int size) {
        super(dir, size, TcOptions.defaults(REQUEST_TIMEOUT_MS));
    }

    @Override
    protected NodeConfig config(int i) {
        return NodeConfig.builder(members().get(i).id(), dataDir(i), members(), security(i))
                .electionTimeoutMs(600).requestTimeoutMs(REQUEST_TIMEOUT_MS).rmRequestTimeoutMs(5000).build();
    }

    @Override
    public BenchCluster start() throws IOException {
        super.start();
        leaderIndex(); // waits for the first election
        return this;
    }

    List<InetSocketAddress> transactionAddresses() {
        return members().stream().map(m -> new InetSocketAddress("127.0.0.1", m.transactionPort())).toList();
    }

    List<InetSocketAddress> controlAddresses() {
        return members().stream().map(m -> new InetSocketAddress("127.0.0.1", m.controlPort())).toList();
    }
}
