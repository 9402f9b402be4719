package io.tessera.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.codec.RpcFrame;
import io.tessera.codec.message.BranchEndRequest;
import io.tessera.codec.message.BranchEndResponse;
import io.tessera.codec.message.BranchRegisterRequest;
import io.tessera.codec.message.BranchRegisterResponse;
import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalBeginRequest;
import io.tessera.codec.message.GlobalBeginResponse;
import io.tessera.codec.message.GlobalEndRequest;
import io.tessera.codec.message.ResultCode;
import io.tessera.codec.message.TransactionExceptionCode;
import io.tessera.coordinator.testing.RawClient;
import io.tessera.coordinator.testing.TestSecurity;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code tessera-admin tx|locks|cluster} against a real cluster with a transaction stuck in rollback. */
@Timeout(180)
class ConsoleCommandTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run admin(TestCluster c, String... args) {
        String[] all = new String[args.length + 6];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(new String[] {"--cluster", c.controlAddresses(), "--username", TestSecurity.ADMIN.username(),
                "--password", TestSecurity.ADMIN.password()}, 0, all, args.length, 6);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TesseraAdmin.run(all, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    private static Run ok(TestCluster c, String... args) {
        Run r = admin(c, args);
        assertEquals(0, r.code(), String.join(" ", args) + ": " + r.err() + r.out());
        return r;
    }

    @Test
    void listShowStopStartForceDeleteAndClusterStatus() throws Exception {
        try (TestCluster c = new TestCluster(dir, 3).start()) {
            int leader = c.leaderIndex();
            c.awaitTokenKey();
            try (RawClient tm = new RawClient(c.transactionPort(leader));
                    RawClient rm = new RawClient(c.transactionPort(leader))) {
                tm.registerTm("shop", "2.5.0");
                rm.registerRm("shop", "2.5.0", "jdbc:shop");
                tm.request(new GlobalBeginRequest(60_000, "checkout"));
                String xid = ((GlobalBeginResponse) tm.next(Duration.ofSeconds(10)).body()).xid();
                rm.request(new BranchRegisterRequest(xid, BranchType.AT, "jdbc:shop", "cart:42", null));
                BranchRegisterResponse reg = (BranchRegisterResponse) rm.next(Duration.ofSeconds(10)).body();
                assertEquals(ResultCode.Success, reg.resultCode());
                tm.request(new GlobalEndRequest(GlobalEndRequest.Kind.ROLLBACK, xid, null));
                RpcFrame f = rm.next(Duration.ofSeconds(10));
                BranchEndRequest req = (BranchEndRequest) f.body();
                rm.send(RpcFrame.response(f.requestId(), RpcFrame.CODEC_SEATA, new BranchEndResponse(false,
                        ResultCode.Success, null, TransactionExceptionCode.Unknown, xid, req.branchId(),
                        BranchStatus.PhaseTwo_RollbackFailed_Retryable)));
                tm.next(Duration.ofSeconds(10));

                Run list = ok(c, "tx", "list", "--app", "shop");
                assertTrue(list.out().startsWith("1 transaction(s), page 1 of 1"), list.out());
                assertTrue(list.out().contains(xid) && list.out().contains("checkout"), list.out());
                Run show = ok(c, "tx", "show", xid);
                assertTrue(show.out().contains("jdbc:shop cart:42 (branch " + reg.branchId() + ")"), show.out());
                assertTrue(show.out().contains("AT"), show.out());
                Run locks = ok(c, "locks", "list", "--table", "cart");
                assertTrue(locks.out().startsWith("1 row lock(s)") && locks.out().contains(xid), locks.out());
                assertTrue(ok(c, "locks", "check", xid, String.valueOf(reg.branchId())).out().contains("has branch"));

                ok(c, "tx", "stop-retry", xid);
                Run json = ok(c, "tx", "list", "--xid", xid, "--json");
                assertTrue(json.out().contains("\"status\" : 20"), json.out());
                assertTrue(json.out().contains("\"lastActionBy\" : \"admin 'tessera-admin' from"), json.out());
                Run again = admin(c, "tx", "stop-retry", xid);
                assertEquals(1, again.code());
                assertTrue(again.err().contains("current global transaction status is not support stop"), again.err());
                ok(c, "tx", "start-retry", xid);
                ok(c, "tx", "stop-retry", xid);
                ok(c, "locks", "delete", xid, String.valueOf(reg.branchId()));
                assertTrue(ok(c, "locks", "list").out().startsWith("0 row lock(s)"));
                ok(c, "tx", "force-delete", xid);
                Run ended = ok(c, "tx", "list", "--status", "Finished");
                assertTrue(ended.out().contains(xid), ended.out());
                Run refused = admin(c, "tx", "resend", xid);
                assertEquals(1, refused.code());
                assertTrue(refused.err().contains("already ended as Finished"), refused.err());

                Run status = ok(c, "cluster", "status");
                assertTrue(status.out().startsWith("leader "), status.out());
                assertEquals(5, status.out().lines().count(), status.out());
                assertTrue(status.out().lines().skip(2).allMatch(l -> l.matches(".*\\s(0|[1-9]\\d*|-)$")), status.out());
            }
        }
    }
}
