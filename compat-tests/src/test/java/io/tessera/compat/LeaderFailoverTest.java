package io.tessera.compat;

import static io.tessera.compat.SeataClient.GROUP;
import static io.tessera.compat.SeataClient.TCC_RESOURCE;
import static io.tessera.compat.SeataClient.TCC_RESOURCE_2;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.tessera.compat.PhaseTwoRecorder.Call;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.seata.core.exception.TransactionException;
import org.apache.seata.core.model.BranchType;
import org.apache.seata.core.model.GlobalStatus;
import org.apache.seata.discovery.registry.RegistryFactory;
import org.apache.seata.rm.DefaultResourceManager;
import org.apache.seata.tm.api.GlobalTransaction;
import org.apache.seata.tm.api.GlobalTransactionContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader dies with a transaction open. The raft-registry client learns the new leader through
 * the watch/metadata API and sends everything there; unlike Seata's own raft mode (which rolls back
 * whatever was in Begin on a leader change) the replicated transaction carries on and commits.
 */
@Timeout(90)
class LeaderFailoverTest extends RaftRegistryClusterTest {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderFailoverTest.class);


    private static long register(String resource, String xid) throws TransactionException {
        return DefaultResourceManager.get().branchRegister(BranchType.TCC, resource, null, xid, null, null);
    }

    private static InetSocketAddress transactionEndpoint(int node) {
        String[] hostPort = cluster.transactionAddress(node).split(":");
        return new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
    }

    @Test
    void clientFollowsTheNewLeaderAndTheOpenTransactionCommits() throws Exception {
        int oldLeader = cluster.leaderIndex();
        GlobalTransaction tx = GlobalTransactionContext.createNew();
        tx.begin(60_000, "compat-failover");
        String xid = tx.getXid();
        assertEquals(oldLeader, cluster.nodeOfXid(xid));
        long b1 = register(TCC_RESOURCE, xid);

        long stoppedAt = System.nanoTime();
        cluster.stop(oldLeader);
        int newLeader = cluster.leaderIndex();
        assertNotEquals(oldLeader, newLeader);
        // What the client's raft registry believes is the leader (all TM/RM requests go there).
        await().atMost(Duration.ofSeconds(30)).until(() ->
                RegistryFactory.getInstance().aliveLookup(GROUP).equals(List.of(transactionEndpoint(newLeader))));
        LOG.info("client follows the new leader node {} {} ms after node {} stopped", newLeader,
                (System.nanoTime() - stoppedAt) / 1_000_000, oldLeader);

        long b2 = register(TCC_RESOURCE_2, xid);
        tx.commit();

        assertEquals(GlobalStatus.Committed, tx.getLocalStatus());
        assertEquals(Set.of(new Call(true, BranchType.TCC, xid, b1, TCC_RESOURCE, null),
                new Call(true, BranchType.TCC, xid, b2, TCC_RESOURCE_2, null)),
                Set.copyOf(client.recorder.callsFor(xid)));
        cluster.awaitEndedEverywhere(xid, GlobalStatus.Committed);

        GlobalTransaction after = GlobalTransactionContext.createNew();
        after.begin(60_000, "compat-after-failover");
        String xid2 = after.getXid();
        assertEquals(newLeader, cluster.nodeOfXid(xid2), "GlobalBegin goes to the new leader");
        register(TCC_RESOURCE, xid2);
        after.rollback();
        assertEquals(GlobalStatus.Rollbacked, after.getLocalStatus());
        cluster.awaitEndedEverywhere(xid2, GlobalStatus.Rollbacked);
        cluster.awaitSameState();
    }
}
