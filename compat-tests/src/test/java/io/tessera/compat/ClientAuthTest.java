package io.tessera.compat;

import static io.tessera.compat.SeataClient.APP;
import static io.tessera.compat.SeataClient.GROUP;
import static io.tessera.compat.SeataClient.TCC_RESOURCE;
import static io.tessera.compat.SeataClient.TCC_RESOURCE_2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.codec.RpcFrame;
import io.tessera.codec.message.GlobalEndRequest;
import io.tessera.codec.message.GlobalEndResponse;
import io.tessera.codec.message.RegisterTMResponse;
import io.tessera.codec.message.ResultCode;
import io.tessera.compat.PhaseTwoRecorder.Call;
import io.tessera.coordinator.testing.RawClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.seata.core.context.RootContext;
import org.apache.seata.core.model.BranchType;
import org.apache.seata.core.model.GlobalStatus;
import org.apache.seata.rm.DefaultResourceManager;
import org.apache.seata.tm.api.GlobalTransaction;
import org.apache.seata.tm.api.GlobalTransactionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client authentication with the unmodified seata-all client configured with its access key and
 * secret key ({@code seata.accesskey} / {@code seata.secretkey}): it registers (its RM, which seata-all
 * does not sign, beside its signed TM) and commits; a second application with a valid key of its own
 * cannot commit, roll back or query this application's xid.
 */
@Timeout(120)
class ClientAuthTest {
    private static final String OTHER_APP = "other-app";
    private static final String OTHER_ACCESS_KEY = "other-ak";
    private static final String OTHER_SECRET_KEY = "other-secret-key-0123456789";

    @TempDir
    static Path dir;
    private static TesseraCluster cluster;
    private static SeataClient client;

    @BeforeAll
    static void start() throws Exception {
        Path keys = dir.resolve("client-keys");
        Files.writeString(keys, """
                # the application under test and a second one
                %s = %s:%s
                %s = %s:%s
                """.formatted(ClientAuthRefusalTest.ACCESS_KEY, APP, ClientAuthRefusalTest.SECRET_KEY,
                OTHER_ACCESS_KEY, OTHER_APP, OTHER_SECRET_KEY));
        cluster = new TesseraCluster(dir.resolve("nodes"), 3, TesseraCluster.clientKeys(keys)).start();
        System.setProperty("seata.accesskey", ClientAuthRefusalTest.ACCESS_KEY);
        System.setProperty("seata.secretkey", ClientAuthRefusalTest.SECRET_KEY);
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

    @AfterEach
    void unbind() {
        RootContext.unbind();
    }

    private static GlobalTransaction begin(String name) throws Exception {
        GlobalTransaction tx = GlobalTransactionContext.createNew();
        tx.begin(30_000, name);
        return tx;
    }

    private static long register(String resource, String xid) throws Exception {
        return DefaultResourceManager.get().branchRegister(BranchType.TCC, resource, null, xid, null, null);
    }

    @Test
    void theSignedClientCommitsATwoBranchTccTransaction() throws Exception {
        GlobalTransaction tx = begin("auth-commit");
        String xid = tx.getXid();
        long b1 = register(TCC_RESOURCE, xid);
        long b2 = register(TCC_RESOURCE_2, xid);
        tx.commit();
        assertEquals(GlobalStatus.Committed, tx.getLocalStatus());
        assertEquals(Set.of(new Call(true, BranchType.TCC, xid, b1, TCC_RESOURCE, null),
                new Call(true, BranchType.TCC, xid, b2, TCC_RESOURCE_2, null)), Set.copyOf(client.recorder.callsFor(xid)));
        cluster.awaitEndedEverywhere(xid, GlobalStatus.Committed);
    }

    @Test
    void anotherApplicationCannotCommitRollBackOrQueryThisApplicationsXid() throws Exception {
        GlobalTransaction tx = begin("auth-foreign");
        String xid = tx.getXid();
        long branch = register(TCC_RESOURCE, xid);
        int node = cluster.nodeOfXid(xid);
        try (RawClient other = new RawClient(cluster.transactionPort(node))) {
            RpcFrame registered = other.registerTm(OTHER_APP, GROUP,
                    SeataSignedExtraData.of(OTHER_ACCESS_KEY, OTHER_SECRET_KEY, GROUP, "127.0.0.1"));
            assertTrue(assertInstanceOf(RegisterTMResponse.class, registered.body()).identified(),
                    "a correctly signed second application registers");
            for (GlobalEndRequest.Kind kind : List.of(GlobalEndRequest.Kind.COMMIT, GlobalEndRequest.Kind.ROLLBACK,
                    GlobalEndRequest.Kind.STATUS)) {
                other.request(new GlobalEndRequest(kind, xid, null));
                GlobalEndResponse r = assertInstanceOf(GlobalEndResponse.class, other.next().body());
                assertEquals(ResultCode.Failed, r.resultCode(), kind.name());
                assertTrue(r.msg().contains("xid " + xid + " belongs to another application"), r.msg());
            }
        }
        assertEquals(GlobalStatus.Begin, cluster.liveStatus(node, xid).orElseThrow());
        assertTrue(client.recorder.callsFor(xid).isEmpty(), "no phase two was started by the refused requests");

        tx.commit();
        assertEquals(GlobalStatus.Committed, tx.getLocalStatus());
        assertEquals(List.of(new Call(true, BranchType.TCC, xid, branch, TCC_RESOURCE, null)),
                client.recorder.callsFor(xid));
    }
}
