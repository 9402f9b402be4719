package io.tessera.compat;

import static io.tessera.compat.SeataClient.GROUP;
import static io.tessera.compat.SeataClient.TCC_RESOURCE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tessera.coordinator.testing.TestSecurity;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.seata.core.context.RootContext;
import org.apache.seata.core.model.BranchType;
import org.apache.seata.core.model.GlobalStatus;
import org.apache.seata.discovery.registry.RegistryFactory;
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
 * The raft registry with credentials. Seata's client logs in on ONE node and then sends that bearer
 * token on metadata and watch calls to whichever node it picks (Seata servers share the JWT secret,
 * so any node accepts any node's token). The client is seeded with the leader's control address only,
 * so that its login and first metadata call deterministically hit the same node; its watch then goes
 * to a follower.
 */
@Timeout(90)
class RaftRegistryAuthTest {
    private static final Logger LOG = LoggerFactory.getLogger(RaftRegistryAuthTest.class);

    @TempDir
    static Path dir;

    private static TesseraCluster cluster;
    private static SeataClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = new TesseraCluster(dir, 3).start();
        client = SeataClient.withRaftRegistry(cluster.controlAddress(cluster.leaderIndex()),
                TestSecurity.CLIENT.username(), TestSecurity.CLIENT.password())
                .start(cluster);
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

    private static String commitOne(String name) throws Exception {
        GlobalTransaction tx = GlobalTransactionContext.createNew();
        tx.begin(30_000, name);
        String xid = tx.getXid();
        DefaultResourceManager.get().branchRegister(BranchType.TCC, TCC_RESOURCE, null, xid, null, null);
        tx.commit();
        assertEquals(GlobalStatus.Committed, tx.getLocalStatus());
        return xid;
    }

    @Test
    void loggedInClientCommits() throws Exception {
        String xid = commitOne("compat-auth");
        assertEquals(cluster.leaderIndex(), cluster.nodeOfXid(xid));
        cluster.awaitEndedEverywhere(xid, GlobalStatus.Committed);
    }

    /**
     * Seata's raft registry client logs in on one node and sends that token to every node (its watch
     * goes to a follower): after a leader change it must still be authorised there.
     */
    @Test
    void loggedInClientFollowsALeaderChange() throws Exception {
        int oldLeader = cluster.leaderIndex();

        long stoppedAt = System.nanoTime();
        cluster.stop(oldLeader);
        int newLeader = cluster.leaderIndex();
        String[] hostPort = cluster.transactionAddress(newLeader).split(":");
        InetSocketAddress expected = new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
        // The watch answers at once on a term change, so the client should follow well within its
        // 30 s periodic metadata refresh.
        await().atMost(Duration.ofSeconds(15)).until(() ->
                RegistryFactory.getInstance().aliveLookup(GROUP).equals(List.of(expected)));
        LOG.info("client with credentials follows the new leader node {} {} ms after node {} stopped", newLeader,
                (System.nanoTime() - stoppedAt) / 1_000_000, oldLeader);

        String second = commitOne("compat-auth-after-failover");
        assertEquals(newLeader, cluster.nodeOfXid(second));
        cluster.awaitEndedEverywhere(second, GlobalStatus.Committed);
    }
}
