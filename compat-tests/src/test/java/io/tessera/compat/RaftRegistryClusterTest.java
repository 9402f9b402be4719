package io.tessera.compat;

import java.nio.file.Path;
import org.apache.seata.core.context.RootContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * One in-process three-node cluster and one real seata-all client (raft registry) per test class;
 * each class runs in its own JVM because the client's TM/RM are process-wide singletons.
 */
abstract class RaftRegistryClusterTest {
    @TempDir
    static Path dir;

    static TesseraCluster cluster;
    static SeataClient client;

    @BeforeAll
    static void startClusterAndClient() throws Exception {
        cluster = new TesseraCluster(dir, 3).start();
        client = SeataClient.withRaftRegistry(cluster).start(cluster);
    }

    @AfterAll
    static void stopClusterAndClient() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A test that fails mid-transaction must not leak its xid into the next one. */
    @AfterEach
    void unbindXid() {
        RootContext.unbind();
    }
}
