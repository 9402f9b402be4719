package io.tessera.compat;

import static io.tessera.compat.SeataClient.TCC_RESOURCE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.compat.PhaseTwoRecorder.Call;
import io.tessera.coordinator.transport.ClientSession;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.seata.core.exception.TransactionException;
import org.apache.seata.core.model.BranchType;
import org.apache.seata.core.model.GlobalStatus;
import org.apache.seata.rm.DefaultResourceManager;
import org.apache.seata.tm.api.GlobalTransaction;
import org.apache.seata.tm.api.GlobalTransactionContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The RM is unreachable when phase two starts: the leader keeps the decision and retries, and the
 * BranchCommit is delivered on the connection the real RM client opens when it comes back.
 */
@Timeout(60)
class RmReconnectTest extends RaftRegistryClusterTest {

    private static long register(String xid) throws TransactionException {
        return DefaultResourceManager.get().branchRegister(BranchType.TCC, TCC_RESOURCE, null, xid, "{\"r\":1}", null);
    }

    @Test
    void commitWaitsForTheRmAndIsDeliveredWhenItReconnects() throws Exception {
        int leader = cluster.leaderIndex();
        GlobalTransaction tx = GlobalTransactionContext.createNew();
        tx.begin(30_000, "compat-offline-rm");
        String xid = tx.getXid();
        long branch = register(xid);
        ClientSession before = cluster.rmSessions(leader).stream().filter(s -> s.holds(TCC_RESOURCE)).findFirst()
                .orElseThrow();

        // The RM goes away: every node's end of every RM connection is closed (the client sees them drop).
        // All of them, because the leader delivers phase two through any member that still reaches the RM.
        for (int i = 0; i < cluster.size(); i++) {
            cluster.rmSessions(i).forEach(s -> s.channel().close().syncUninterruptibly());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> java.util.stream.IntStream.range(0, cluster.size())
                .allMatch(i -> cluster.rmSessions(i).isEmpty()));

        tx.commit();
        GlobalStatus answered = tx.getLocalStatus();
        assertTrue(answered == GlobalStatus.Committing || answered == GlobalStatus.CommitRetrying,
                "the decision stands while phase two waits for the RM: " + answered);
        assertEquals(List.of(), client.recorder.callsFor(xid), "nothing could be delivered");
        Optional<GlobalStatus> live = cluster.liveStatus(leader, xid);
        assertTrue(live.isPresent() && live.get() != GlobalStatus.Begin, "decided, not ended: " + live);

        // The RM comes back the way a real one does: its next request reconnects (and re-registers).
        GlobalTransaction next = GlobalTransactionContext.createNew();
        next.begin(30_000, "compat-after-reconnect");
        String xid2 = next.getXid();
        long branch2 = register(xid2);

        cluster.awaitEndedEverywhere(xid, GlobalStatus.Committed);
        assertEquals(List.of(new Call(true, BranchType.TCC, xid, branch, TCC_RESOURCE, "{\"r\":1}")),
                client.recorder.callsFor(xid), "delivered once, after the reconnect");
        ClientSession after = cluster.rmSessions(leader).stream().filter(s -> s.holds(TCC_RESOURCE)).findFirst()
                .orElseThrow();
        assertNotEquals(before.clientId(), after.clientId(), "a new connection (same application and ip)");

        next.commit();
        assertEquals(GlobalStatus.Committed, next.getLocalStatus());
        assertEquals(List.of(new Call(true, BranchType.TCC, xid2, branch2, TCC_RESOURCE, "{\"r\":1}")),
                client.recorder.callsFor(xid2));
        cluster.awaitEndedEverywhere(xid2, GlobalStatus.Committed);
        cluster.awaitSameState();
    }
}
