package io.tessera.compat;

import static io.tessera.compat.SeataClient.TCC_RESOURCE;
import static io.tessera.compat.SeataClient.TCC_RESOURCE_2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.compat.PhaseTwoRecorder.Call;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.seata.core.context.RootContext;
import org.apache.seata.core.exception.TransactionException;
import org.apache.seata.core.model.BranchType;
import org.apache.seata.core.model.GlobalStatus;
import org.apache.seata.core.rpc.netty.TmNettyRemotingClient;
import org.apache.seata.rm.DefaultResourceManager;
import org.apache.seata.tm.api.GlobalTransaction;
import org.apache.seata.tm.api.GlobalTransactionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code registry.type=file} listing all three transaction ports: the client talks to every node,
 * so followers receive GlobalBegin, BranchRegister, GlobalCommit/Rollback and must forward them.
 *
 * <p>The client's default load balancer (XID) routes a request carrying an XID to the node named
 * by the XID's {@code ip:port}, and a GlobalBegin by its transaction name the same way; a name of
 * the form {@code ip:port:...} therefore pins a whole transaction to one chosen node.
 *
 * <p>This class also turns TM batching on (off by default): GlobalBegin/Commit/Rollback/Status
 * then travel in MergedWarpMessage frames too, as RM requests always do.
 */
@Timeout(90)
class FileRegistryForwardingTest {
    private static final Logger LOG = LoggerFactory.getLogger(FileRegistryForwardingTest.class);

    @TempDir
    static Path dir;

    private static TesseraCluster cluster;
    private static SeataClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = new TesseraCluster(dir, 3).start();
        System.setProperty("transport.enableTmClientBatchSendRequest", "true");
        client = SeataClient.withFileRegistry(cluster).start(cluster);
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

    @AfterEach
    void unbind() {
        RootContext.unbind();
    }

    private static GlobalTransaction begin(String name) throws TransactionException {
        GlobalTransaction tx = GlobalTransactionContext.createNew();
        tx.begin(30_000, name);
        return tx;
    }

    private static long register(String resource, String xid, String data) throws TransactionException {
        return DefaultResourceManager.get().branchRegister(BranchType.TCC, resource, null, xid, data, null);
    }

    @Test
    void everyNodeServesAWholeTransactionFollowersByForwarding() throws Exception {
        assertTrue(TmNettyRemotingClient.getInstance().isEnableClientBatchSendRequest(), "TM batching on");
        int leader = cluster.leaderIndex();
        for (int node = 0; node < cluster.size(); node++) {
            GlobalTransaction tx = begin(cluster.transactionAddress(node) + ":compat-pinned");
            String xid = tx.getXid();
            assertEquals(node, cluster.nodeOfXid(xid), "GlobalBegin served by node " + node + ": " + xid);
            long b1 = register(TCC_RESOURCE, xid, "{\"n\":" + node + "}");
            long b2 = register(TCC_RESOURCE_2, xid, null);

            tx.commit();

            assertEquals(GlobalStatus.Committed, tx.getLocalStatus(), "commit through node " + node
                    + (node == leader ? " (leader)" : " (follower)"));
            assertEquals(Set.of(new Call(true, BranchType.TCC, xid, b1, TCC_RESOURCE, "{\"n\":" + node + "}"),
                    new Call(true, BranchType.TCC, xid, b2, TCC_RESOURCE_2, null)),
                    Set.copyOf(client.recorder.callsFor(xid)));
            cluster.awaitEndedEverywhere(xid, GlobalStatus.Committed);
            GlobalStatus reread = GlobalTransactionContext.reload(xid).getStatus();
            assertTrue(reread == GlobalStatus.Committed || reread == GlobalStatus.Finished,
                    "GlobalStatus through node " + node + ": " + reread);
        }
    }

    @Test
    void rollbackThroughAFollower() throws Exception {
        int follower = cluster.followerIndexes().get(0);
        GlobalTransaction tx = begin(cluster.transactionAddress(follower) + ":compat-pinned-rollback");
        String xid = tx.getXid();
        assertEquals(follower, cluster.nodeOfXid(xid));
        long b1 = register(TCC_RESOURCE, xid, null);
        long b2 = register(TCC_RESOURCE_2, xid, null);

        tx.rollback();

        assertEquals(GlobalStatus.Rollbacked, tx.getLocalStatus());
        assertEquals(List.of(b2, b1), client.recorder.callsFor(xid).stream().map(Call::branchId).toList());
        cluster.awaitEndedEverywhere(xid, GlobalStatus.Rollbacked);
    }

    @Test
    void transactionsSpreadByTheClientAllCommit() throws Exception {
        Map<Integer, Integer> perNode = new TreeMap<>();
        List<String> xids = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            GlobalTransaction tx = begin("compat-spread-" + i);
            String xid = tx.getXid();
            perNode.merge(cluster.nodeOfXid(xid), 1, Integer::sum);
            register(TCC_RESOURCE, xid, null);
            tx.commit();
            assertEquals(GlobalStatus.Committed, tx.getLocalStatus(), xid);
            xids.add(xid);
        }
        LOG.info("GlobalBegin served per node (random load balance, leader {}): {}", cluster.leaderIndex(), perNode);
        for (String xid : xids) {
            cluster.awaitEndedEverywhere(xid, GlobalStatus.Committed);
            assertEquals(1, client.recorder.callsFor(xid).size(), xid);
        }
        cluster.awaitSameState();
    }
}
