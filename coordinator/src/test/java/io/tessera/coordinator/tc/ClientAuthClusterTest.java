package io.tessera.coordinator.tc;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.codec.RpcFrame;
import io.tessera.codec.message.BranchRegisterRequest;
import io.tessera.codec.message.BranchRegisterResponse;
import io.tessera.codec.message.BranchReportRequest;
import io.tessera.codec.message.BranchReportResponse;
import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalBeginRequest;
import io.tessera.codec.message.GlobalBeginResponse;
import io.tessera.codec.message.GlobalEndRequest;
import io.tessera.codec.message.GlobalEndResponse;
import io.tessera.codec.message.GlobalReportRequest;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.message.RegisterRMRequest;
import io.tessera.codec.message.RegisterRMResponse;
import io.tessera.codec.message.RegisterTMRequest;
import io.tessera.codec.message.RegisterTMResponse;
import io.tessera.codec.message.ResultCode;
import io.tessera.codec.message.TransactionExceptionCode;
import io.tessera.coordinator.config.NodeConfig;
import io.tessera.coordinator.testing.LocalCluster;
import io.tessera.coordinator.testing.RawClient;
import io.tessera.coordinator.testing.Signatures;
import io.tessera.coordinator.testing.TestSecurity;
import io.tessera.raft.tx.GlobalTxRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client authentication on a real node (client-auth.keys-file set): signed registrations, and who
 * may act on whose xid. "orders" and "stock" share the domain "shop"; "payments" is on its own.
 */
@Timeout(120)
class ClientAuthClusterTest {
    private static final String GROUP = "tx-group";
    private static final String ORDERS_SECRET = "orders-secret-0123456789";
    private static final String PAYMENTS_SECRET = "payments-secret-0123456789";
    private static final String STOCK_SECRET = "stock-secret-0123456789ab";

    @TempDir
    static Path dir;
    private static LocalCluster cluster;
    private final List<RawClient> clients = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws IOException {
        Path keys = dir.resolve("client-keys");
        Files.writeString(keys, """
                orders-ak = orders:%s
                payments-ak = payments:%s
                stock-ak = stock:%s
                domain.shop = orders, stock
                """.formatted(ORDERS_SECRET, PAYMENTS_SECRET, STOCK_SECRET));
        TcOptions fast = new TcOptions(4_000, 2_000, 200, 500, 60_000, 60_000);
        cluster = new LocalCluster(dir.resolve("nodes"), 1, fast) {
            @Override
            protected NodeConfig config(int i) {
                NodeConfig.Security plain = TestSecurity.plain();
                return NodeConfig.builder(members().get(i).id(), dataDir(i), members(),
                        new NodeConfig.Security(plain.registry(), plain.admin(), Optional.empty(), Optional.of(keys)))
                        .electionTimeoutMs(600).rmRequestTimeoutMs(3_000).recovery(FAST_RECOVERY).build();
            }
        }.start();
        cluster.leaderIndex();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(RawClient::close);
    }

    private RawClient connect(String localIp) {
        RawClient c = new RawClient(cluster.transactionPort(0), localIp);
        clients.add(c);
        return c;
    }

    private RawClient tm(String app, String ak, String secret) {
        RawClient c = connect("127.0.0.1");
        RpcFrame answer = c.registerTm(app, GROUP, Signatures.extraData(ak, secret, GROUP));
        assertTrue(assertInstanceOf(RegisterTMResponse.class, answer.body()).identified(), app + " TM refused");
        return c;
    }

    private RawClient rm(String app, String resource) {
        RawClient c = connect("127.0.0.1");
        assertTrue(assertInstanceOf(RegisterRMResponse.class, c.registerRm(app, "2.5.0", resource).body()).identified(),
                app + " RM refused");
        return c;
    }

    private static <T> T call(RawClient c, io.tessera.codec.message.Message request, Class<T> type) {
        int id = c.request(request);
        RpcFrame answer = c.next(Duration.ofSeconds(10));
        assertEquals(id, answer.requestId());
        return assertInstanceOf(type, answer.body());
    }

    private static String begin(RawClient tm) {
        GlobalBeginResponse r = call(tm, new GlobalBeginRequest(60_000, "auth-test"), GlobalBeginResponse.class);
        assertEquals(ResultCode.Success, r.resultCode(), r.msg());
        return r.xid();
    }

    private static void awaitClosed(RawClient c) {
        await().atMost(Duration.ofSeconds(5)).until(() -> !c.isOpen());
    }

    /** A refused registration is answered identified=false (with the reason, in PROTOBUF) and closed. */
    private RegisterTMResponse refusedTm(String app, String extraData) {
        RawClient c = connect("127.0.0.1");
        c.send(RpcFrame.TYPE_REQUEST, RpcFrame.CODEC_PROTOBUF, new RegisterTMRequest("2.5.0", app, GROUP, extraData));
        RegisterTMResponse r = assertInstanceOf(RegisterTMResponse.class, c.next().body());
        assertFalse(r.identified());
        awaitClosed(c);
        return r;
    }

    @Test
    void onlyCorrectlySignedTmsAndRmsBesideThemRegister() {
        tm("orders", "orders-ak", ORDERS_SECRET);
        assertTrue(refusedTm("orders", Signatures.extraData("orders-ak", "not-the-orders-secret", GROUP)).msg()
                .contains("signature of access key 'orders-ak' does not verify"));
        assertTrue(refusedTm("orders", Signatures.extraData("nobody-ak", ORDERS_SECRET, GROUP)).msg()
                .contains("unknown access key 'nobody-ak'"));
        assertTrue(refusedTm("payments", Signatures.extraData("orders-ak", ORDERS_SECRET, GROUP)).msg()
                .contains("access key 'orders-ak' is not valid for application 'payments'"));
        assertTrue(refusedTm("orders", null).msg().contains("registration without an access key"));
        String used = Signatures.extraData("orders-ak", ORDERS_SECRET, GROUP);
        assertTrue(assertInstanceOf(RegisterTMResponse.class, connect("127.0.0.1").registerTm("orders", GROUP, used)
                .body()).identified());
        assertTrue(refusedTm("orders", used).msg().contains("already used (replay)"));

        // seata-all's RM does not sign: accepted from the address of a TM of its application, not elsewhere.
        rm("orders", "orders-res");
        RawClient elsewhere = connect("127.0.0.2");
        elsewhere.send(RpcFrame.TYPE_REQUEST, RpcFrame.CODEC_PROTOBUF,
                new RegisterRMRequest("2.5.0", "orders", GROUP, null, "orders-res"));
        RegisterRMResponse r = assertInstanceOf(RegisterRMResponse.class, elsewhere.next().body());
        assertFalse(r.identified());
        assertTrue(r.msg().contains("registered TM of application 'orders'"), r.msg());
        awaitClosed(elsewhere);
        RawClient noTm = connect("127.0.0.1");
        assertFalse(assertInstanceOf(RegisterRMResponse.class, noTm.registerRm("inventory", "2.5.0", "i").body())
                .identified(), "no TM of inventory anywhere");
    }

    @Test
    void anotherApplicationCannotEndQueryOrJoinATransaction() {
        RawClient orders = tm("orders", "orders-ak", ORDERS_SECRET);
        RawClient payments = tm("payments", "payments-ak", PAYMENTS_SECRET);
        RawClient paymentsRm = rm("payments", "payments-res");
        String xid = begin(orders);

        GlobalEndResponse commit = call(payments, new GlobalEndRequest(GlobalEndRequest.Kind.COMMIT, xid, null),
                GlobalEndResponse.class);
        assertEquals(ResultCode.Failed, commit.resultCode());
        assertEquals("TransactionException[xid " + xid + " belongs to another application: only the application that"
                + " began it may commit it (client authentication)]", commit.msg());
        assertEquals(GlobalStatus.Finished, commit.globalStatus(), "the TM reports a refused commit as failed");
        GlobalEndResponse rollback = call(payments, new GlobalEndRequest(GlobalEndRequest.Kind.ROLLBACK, xid, null),
                GlobalEndResponse.class);
        assertEquals(ResultCode.Failed, rollback.resultCode());
        assertTrue(rollback.msg().contains("may roll it back"), rollback.msg());
        GlobalEndResponse status = call(payments, new GlobalEndRequest(GlobalEndRequest.Kind.STATUS, xid, null),
                GlobalEndResponse.class);
        assertEquals(ResultCode.Failed, status.resultCode());
        assertEquals(GlobalStatus.UnKnown, status.globalStatus(), "the real status is not revealed");
        assertTrue(status.msg().contains("application 'payments' is not in its domain shop"), status.msg());
        GlobalEndResponse report = call(payments, new GlobalReportRequest(xid, null, GlobalStatus.Committed),
                GlobalEndResponse.class);
        assertEquals(ResultCode.Failed, report.resultCode());
        BranchRegisterResponse join = call(paymentsRm, new BranchRegisterRequest(xid, BranchType.TCC, "payments-res",
                null, null), BranchRegisterResponse.class);
        assertEquals(ResultCode.Failed, join.resultCode());
        assertEquals(TransactionExceptionCode.BranchRegisterFailed, join.exceptionCode());
        BranchReportResponse branchReport = call(paymentsRm, new BranchReportRequest(xid, 1L, BranchStatus.PhaseOne_Done,
                "payments-res", null, BranchType.TCC), BranchReportResponse.class);
        assertEquals(ResultCode.Failed, branchReport.resultCode());
        assertEquals(TransactionExceptionCode.BranchReportFailed, branchReport.exceptionCode());

        // Nothing was written: still Begin, no branch.
        GlobalTxRecord g = cluster.node(0).stateMachine().view().global(xid).orElseThrow();
        assertEquals(GlobalStatus.Begin, g.status());
        assertTrue(cluster.node(0).stateMachine().view().branches(xid).isEmpty());

        // An xid nobody began is not passed on to the state machine either.
        GlobalEndResponse unknown = call(payments, new GlobalEndRequest(GlobalEndRequest.Kind.COMMIT,
                "127.0.0.1:1:4242424242", null), GlobalEndResponse.class);
        assertEquals(TransactionExceptionCode.GlobalTransactionNotExist, unknown.exceptionCode());
        assertEquals(GlobalStatus.Finished, unknown.globalStatus());

        // The owner itself ends it.
        assertEquals(GlobalStatus.Committed, call(orders, new GlobalEndRequest(GlobalEndRequest.Kind.COMMIT, xid, null),
                GlobalEndResponse.class).globalStatus());
    }

    @Test
    void applicationsOfOneDomainJoinAndQueryEachOthersTransactionsButOnlyTheOwnerEndsThem() {
        RawClient orders = tm("orders", "orders-ak", ORDERS_SECRET);
        RawClient stock = tm("stock", "stock-ak", STOCK_SECRET);
        RawClient stockRm = rm("stock", "stock-res");
        String xid = begin(orders);

        BranchRegisterResponse join = call(stockRm, new BranchRegisterRequest(xid, BranchType.TCC, "stock-res", null,
                null), BranchRegisterResponse.class);
        assertEquals(ResultCode.Success, join.resultCode(), join.msg());
        GlobalEndResponse status = call(stock, new GlobalEndRequest(GlobalEndRequest.Kind.STATUS, xid, null),
                GlobalEndResponse.class);
        assertEquals(GlobalStatus.Begin, status.globalStatus());
        GlobalEndResponse commit = call(stock, new GlobalEndRequest(GlobalEndRequest.Kind.COMMIT, xid, null),
                GlobalEndResponse.class);
        assertEquals(ResultCode.Failed, commit.resultCode());
        assertTrue(commit.msg().contains("only the application that began it may commit it"), commit.msg());
        assertEquals(1, cluster.node(0).stateMachine().view().branches(xid).size());
        assertEquals(GlobalStatus.Begin, cluster.node(0).stateMachine().view().global(xid).orElseThrow().status());
    }
}
