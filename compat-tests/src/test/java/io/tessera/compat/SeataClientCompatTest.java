package io.tessera.compat;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.coordinator.NodeRuntime;
import io.tessera.coordinator.cluster.InMemoryClusterView;
import io.tessera.coordinator.config.MemberSpec;
import io.tessera.coordinator.config.NodeConfig;
import io.tessera.coordinator.transport.ClientSession;
import io.tessera.coordinator.transport.RmChannels;
import io.tessera.coordinator.transport.RmRequestSender;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.seata.core.model.BranchType;
import org.apache.seata.core.model.GlobalStatus;
import org.apache.seata.rm.DefaultResourceManager;
import org.apache.seata.rm.RMClient;
import org.apache.seata.tm.TMClient;
import org.apache.seata.tm.api.GlobalTransaction;
import org.apache.seata.tm.api.GlobalTransactionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unmodified seata-all 2.5.0 client (TM + RM, raft registry discovery, SEATA codec, RM batching
 * on) against the coordinator's front end and control port. The client's static singletons allow
 * one client per JVM, so all scenarios share it.
 */
@Timeout(120)
class SeataClientCompatTest {
    private static final String APP = "compat-app";
    private static final String GROUP = "compat-tx-group";
    private static final String RESOURCE = "compat-tcc-resource";

    @TempDir
    static Path dataDir;

    private static NodeRuntime node;
    private static PhaseTwoService service;
    private static RecordingTccResourceManager rm;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @BeforeAll
    static void startNodeAndClients() throws IOException {
        MemberSpec self = new MemberSpec("node1", "127.0.0.1", freePort(), freePort(), freePort());
        NodeConfig config = new NodeConfig("node1", "127.0.0.1", dataDir, List.of(self), "default", 1000, 3600,
                10_000, 15_000, 15, 4, 8 * 1024 * 1024, null, null);
        InMemoryClusterView view = new InMemoryClusterView("node1", "default", config.members());
        view.update(1, "node1");
        RmChannels rmChannels = new RmChannels();
        RmRequestSender sender = NodeRuntime.rmSenderFor(config, rmChannels);
        service = new PhaseTwoService("127.0.0.1:" + self.transactionPort(), sender);
        node = new NodeRuntime(config, view, service, rmChannels, sender, NodeRuntime.defaultBodyCodecs());
        node.start();

        // Seata's file configuration lets system properties override registry.conf / file.conf.
        System.setProperty("registry.raft.serverAddr", "127.0.0.1:" + self.controlPort());
        TMClient.init(APP, GROUP);
        RMClient.init(APP, GROUP);
        DefaultResourceManager.get();
        rm = new RecordingTccResourceManager();
        DefaultResourceManager.mockResourceManager(org.apache.seata.core.model.BranchType.TCC, rm);
        rm.registerResource(RecordingTccResourceManager.resource(RESOURCE, GROUP));
        await().atMost(Duration.ofSeconds(30)).until(() -> node.rmChannels().sessions().stream()
                .anyMatch(s -> s.holds(RESOURCE)));
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void rmRegistersItsResourceWithItsApplicationId() {
        ClientSession session = node.rmChannels().sessions().stream().filter(s -> s.holds(RESOURCE)).findFirst()
                .orElseThrow();
        assertEquals(APP, session.applicationId());
        assertEquals(GROUP, session.transactionServiceGroup());
        assertEquals("2.5.0", session.version().text());
        assertEquals(Set.of(RESOURCE), session.resourceIds());
    }

    @Test
    void commitDrivesBranchCommitIntoTheRealRm() throws Exception {
        GlobalTransaction tx = GlobalTransactionContext.createNew();
        tx.begin(30_000, "compat-commit");
        String xid = tx.getXid();
        assertTrue(xid.startsWith("127.0.0.1:" + node.transactionPort() + ":"), xid);

        Long branchId = DefaultResourceManager.get().branchRegister(BranchType.TCC, RESOURCE, null, xid,
                "{\"action\":\"reserve\"}", null);
        tx.commit();

        assertEquals(GlobalStatus.Committed, tx.getLocalStatus());
        assertTrue(rm.calls.contains(new RecordingTccResourceManager.Call(true, xid, branchId, RESOURCE,
                "{\"action\":\"reserve\"}")), rm.calls.toString());
        assertTrue(service.beginApplications.contains(APP));
    }

    @Test
    void rollbackDrivesBranchRollbackIntoTheRealRm() throws Exception {
        GlobalTransaction tx = GlobalTransactionContext.createNew();
        tx.begin(30_000, "compat-rollback");
        String xid = tx.getXid();
        Long first = DefaultResourceManager.get().branchRegister(BranchType.TCC, RESOURCE, null, xid, null, null);
        Long second = DefaultResourceManager.get().branchRegister(BranchType.TCC, RESOURCE, null, xid, null, null);
        tx.rollback();

        assertEquals(GlobalStatus.Rollbacked, tx.getLocalStatus());
        assertTrue(rm.calls.stream().anyMatch(c -> !c.commit() && c.xid().equals(xid) && c.branchId() == first));
        assertTrue(rm.calls.stream().anyMatch(c -> !c.commit() && c.xid().equals(xid) && c.branchId() == second));
    }

    @Test
    void branchRegisterOnAnEndedTransactionFailsInTheClient() throws Exception {
        GlobalTransaction tx = GlobalTransactionContext.createNew();
        tx.begin(30_000, "compat-ended");
        String xid = tx.getXid();
        tx.commit();
        org.apache.seata.core.exception.TransactionException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.apache.seata.core.exception.TransactionException.class,
                () -> DefaultResourceManager.get().branchRegister(BranchType.TCC, RESOURCE, null, xid, null, null));
        assertEquals(org.apache.seata.core.exception.TransactionExceptionCode.GlobalTransactionNotActive, e.getCode());
    }
}
