package io.tessera.bench;

import io.tessera.coordinator.config.NodeConfig;
import io.tessera.coordinator.tc.TcOptions;
import io.tessera.coordinator.testing.LocalCluster;
import io.tessera.coordinator.transport.TransactionServer;
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
        return new NodeConfig(members().get(i).id(), "127.0.0.1", dataDir(i), members(), "default", 600, 150, 3600,
                REQUEST_TIMEOUT_MS, 5000, 15, 4, 8 * 1024 * 1024,
                TransactionServer.DEFAULT_MAX_INFLIGHT_REQUESTS, null, null);
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
