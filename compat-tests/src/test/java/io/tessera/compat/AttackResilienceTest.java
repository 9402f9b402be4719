package io.tessera.compat;

import static io.tessera.compat.SeataClient.TCC_RESOURCE;
import static io.tessera.compat.SeataClient.TCC_RESOURCE_2;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tessera.compat.PhaseTwoRecorder.Call;
import io.tessera.coordinator.config.NodeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.seata.core.context.RootContext;
import org.apache.seata.core.model.BranchType;
import org.apache.seata.core.model.GlobalStatus;
import org.apache.seata.rm.DefaultResourceManager;
import org.apache.seata.tm.api.GlobalTransaction;
import org.apache.seata.tm.api.GlobalTransactionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unmodified seata-all client keeps committing two-branch TCC transactions while every node's
 * transaction port is flooded — ping-only connections past the per-source cap and partial 1 MiB
 * frames past the node-wide bound — and after the flood stops. The client comes from 127.0.0.1, the
 * flood from 127.0.0.2 and 127.0.0.3.
 */
@Timeout(240)
class AttackResilienceTest {
    private static final int MIB = 1024 * 1024;

    @TempDir
    static Path dir;
    private static TesseraCluster cluster;
    private static SeataClient client;

    @BeforeAll
    static void start() throws Exception {
        // 64 connections per source, 1 s to register, 2 s per frame, 16 MiB of partial frames per node.
        NodeConfig.TransactionLimits d = NodeConfig.TransactionLimits.defaults();
        NodeConfig.TransactionLimits limits = new NodeConfig.TransactionLimits(1_000, d.maxConnections(), 64, 2_000,
                16L * MIB, d.maxResourceIds(), d.maxFieldLength(), d.applicationDataLimit());
        cluster = new TesseraCluster(dir, 3, b -> b.transactionLimits(limits)).start();
        client = SeataClient.withRaftRegistry(cluster).start(cluster);
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** One two-branch TCC transaction through the real client; returns its xid once committed. */
    private static String commitTwoBranches(String name) throws Exception {
        try {
            GlobalTransaction tx = GlobalTransactionContext.createNew();
            tx.begin(30_000, name);
            String xid = tx.getXid();
            long b1 = DefaultResourceManager.get().branchRegister(BranchType.TCC, TCC_RESOURCE, null, xid, null, null);
            long b2 = DefaultResourceManager.get().branchRegister(BranchType.TCC, TCC_RESOURCE_2, null, xid, null, null);
            tx.commit();
            assertEquals(GlobalStatus.Committed, tx.getLocalStatus(), name);
            await().atMost(Duration.ofSeconds(20)).until(() -> client.recorder.callsFor(xid).size() == 2);
            assertEquals(Set.of(new Call(true, BranchType.TCC, xid, b1, TCC_RESOURCE, null),
                    new Call(true, BranchType.TCC, xid, b2, TCC_RESOURCE_2, null)), Set.copyOf(client.recorder.callsFor(xid)));
            return xid;
        } finally {
            RootContext.unbind();
        }
    }

    @Test
    void theRealClientKeepsCommittingDuringAndAfterAFlood() throws Exception {
        List<Integer> ports = IntStream.range(0, cluster.size()).map(cluster::transactionPort).boxed().toList();
        List<String> committed = new ArrayList<>();
        try (Flood flood = new Flood(ports).start(70, 20)) {
            // Let the flood reach the caps before the measured transactions.
            await().atMost(Duration.ofSeconds(30)).until(() -> flood.pingersClosed.get() > 3 * 70
                    && flood.tricklersClosed.get() > 3 * 6);
            for (int i = 0; i < 15; i++) {
                committed.add(commitTwoBranches("under-flood-" + i));
            }
        }
        for (int i = 0; i < 5; i++) {
            committed.add(commitTwoBranches("after-flood-" + i));
        }
        for (String xid : committed) {
            cluster.awaitEndedEverywhere(xid, GlobalStatus.Committed);
        }
        cluster.awaitSameState();
    }
}
