package io.tessera.coordinator.transport;

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
import io.tessera.codec.message.GlobalLockQueryRequest;
import io.tessera.codec.message.GlobalLockQueryResponse;
import io.tessera.codec.message.GlobalReportRequest;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.message.MergeResultMessage;
import io.tessera.codec.message.MergedWarpMessage;
import io.tessera.codec.message.Request;
import io.tessera.codec.message.Response;
import io.tessera.codec.message.ResultCode;
import io.tessera.codec.message.TransactionExceptionCode;
import io.tessera.coordinator.testing.Codecs;
import io.tessera.coordinator.testing.InMemoryTransactionService;
import io.tessera.coordinator.testing.RawClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The in-flight bound of the front end, over real sockets: busy refuses only new GlobalBegins. */
@Timeout(60)
class AdmissionTest {
    /**
     * The in-memory service, except that chosen requests are held until the test releases them, so
     * "in flight" is under the test's control instead of depending on timing.
     */
    static final class HoldingService implements TransactionService {
        final InMemoryTransactionService real = new InMemoryTransactionService("127.0.0.1:8091");
        final List<Runnable> held = new CopyOnWriteArrayList<>();
        final List<String> begunNames = new CopyOnWriteArrayList<>();
        final java.util.Set<String> holdCommitOf = java.util.concurrent.ConcurrentHashMap.newKeySet();

        @Override
        public CompletableFuture<Response> handle(ClientSession session, Request request) {
            if (request instanceof GlobalBeginRequest b) {
                begunNames.add(b.transactionName());
            }
            boolean hold = request instanceof GlobalBeginRequest b && b.transactionName().startsWith("hold")
                    || request instanceof GlobalEndRequest e && e.kind() == GlobalEndRequest.Kind.COMMIT
                            && holdCommitOf.contains(e.xid());
            if (!hold) {
                return real.handle(session, request);
            }
            CompletableFuture<Response> answer = new CompletableFuture<>();
            held.add(() -> real.handle(session, request).whenComplete((r, e) -> {
                if (e != null) {
                    answer.completeExceptionally(e);
                } else {
                    answer.complete(r);
                }
            }));
            return answer;
        }

        void releaseAll() {
            List<Runnable> now = new ArrayList<>(held);
            held.clear();
            now.forEach(Runnable::run);
        }
    }

    private final HoldingService service = new HoldingService();
    private TransactionServer server;

    private TransactionServer start(int maxInflight, long requestTimeoutMs) {
        RmChannels channels = new RmChannels();
        ClientSessions sessions = new ClientSessions(channels, new RmRequestSender(channels, 15_000));
        server = new TransactionServer(new TransactionServer.Settings("node-a", "127.0.0.1", 0, 15, 4,
                requestTimeoutMs, "2.5.0", maxInflight), Codecs.frameCodec(), service, sessions);
        server.start();
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static void assertBusy(Response r) {
        GlobalBeginResponse begin = assertInstanceOf(GlobalBeginResponse.class, r);
        assertEquals(ResultCode.Failed, begin.resultCode());
        assertEquals(TransactionExceptionCode.BeginFailed, begin.exceptionCode());
        assertTrue(begin.msg().contains("TC node-a is busy"), begin.msg());
    }

    private static <T> T answer(RawClient c, int id, Class<T> type) {
        RpcFrame f = c.next();
        assertEquals(id, f.requestId());
        return assertInstanceOf(type, f.body());
    }

    @Test
    void whenFullANewBeginIsRefusedAtOnceButTransactionsAlreadyBegunContinue() {
        start(2, 30_000);
        String open = service.real.begin();
        try (RawClient tm = new RawClient(server.port()); RawClient rm = new RawClient(server.port())) {
            tm.registerTm("orders", "2.5.0");
            rm.registerRm("orders", "2.5.0", "jdbc:db1");
            int held1 = tm.request(new GlobalBeginRequest(60_000, "hold-1"));
            int held2 = tm.request(new GlobalBeginRequest(60_000, "hold-2"));
            await().atMost(Duration.ofSeconds(5)).until(() -> service.held.size() == 2);
            assertEquals(2, server.inFlightRequests());

            // Answered while both held begins are still unanswered: the refusal did not wait for capacity.
            int refused = tm.request(new GlobalBeginRequest(60_000, "new"));
            assertBusy(answer(tm, refused, GlobalBeginResponse.class));
            assertFalse(service.begunNames.contains("new"), "a refused begin never reaches the service");
            assertEquals(1, server.refusedBegins());

            // A begin inside a batch is refused the same way; the other sub-request is served.
            tm.send(RpcFrame.TYPE_ONEWAY, new MergedWarpMessage(List.of(
                    new GlobalBeginRequest(60_000, "batched"),
                    new GlobalEndRequest(GlobalEndRequest.Kind.STATUS, open, null)), List.of(51, 52)));
            Map<Integer, Response> byId = new HashMap<>();
            for (int i = 0; i < 2; i++) {
                RpcFrame f = tm.next();
                byId.put(f.requestId(), (Response) f.body());
            }
            assertBusy(byId.get(51));
            assertEquals(GlobalStatus.Begin, assertInstanceOf(GlobalEndResponse.class, byId.get(52)).globalStatus());

            // Everything that continues a begun transaction is still served while the node is full.
            int reg = rm.request(new BranchRegisterRequest(open, BranchType.AT, "jdbc:db1", "t:1", null));
            BranchRegisterResponse branch = answer(rm, reg, BranchRegisterResponse.class);
            assertEquals(ResultCode.Success, branch.resultCode());
            int report = rm.request(new BranchReportRequest(open, branch.branchId(), BranchStatus.PhaseOne_Done,
                    "jdbc:db1", null, BranchType.AT));
            assertEquals(ResultCode.Success, answer(rm, report, BranchReportResponse.class).resultCode());
            int lock = rm.request(new GlobalLockQueryRequest(open, BranchType.AT, "jdbc:db1", "t:2", null));
            assertEquals(ResultCode.Success, answer(rm, lock, GlobalLockQueryResponse.class).resultCode());
            int status = tm.request(new GlobalEndRequest(GlobalEndRequest.Kind.STATUS, open, null));
            assertEquals(GlobalStatus.Begin, answer(tm, status, GlobalEndResponse.class).globalStatus());
            int commit = tm.request(new GlobalEndRequest(GlobalEndRequest.Kind.COMMIT, open, null));
            GlobalEndResponse committed = answer(tm, commit, GlobalEndResponse.class);
            assertEquals(ResultCode.Success, committed.resultCode());
            assertEquals(GlobalStatus.Committed, committed.globalStatus());
            String other = service.real.begin();
            int rollback = tm.request(new GlobalEndRequest(GlobalEndRequest.Kind.ROLLBACK, other, null));
            assertEquals(GlobalStatus.Rollbacked, answer(tm, rollback, GlobalEndResponse.class).globalStatus());
            String saga = service.real.begin();
            int sagaReport = tm.request(new GlobalReportRequest(saga, null, GlobalStatus.Committed));
            assertEquals(ResultCode.Success, answer(tm, sagaReport, GlobalEndResponse.class).resultCode());
            assertEquals(2, server.inFlightRequests());

            // Capacity comes back when the held begins are answered.
            service.releaseAll();
            Map<Integer, GlobalBeginResponse> released = new HashMap<>();
            for (int i = 0; i < 2; i++) {
                RpcFrame f = tm.next();
                released.put(f.requestId(), assertInstanceOf(GlobalBeginResponse.class, f.body()));
            }
            assertEquals(ResultCode.Success, released.get(held1).resultCode());
            assertEquals(ResultCode.Success, released.get(held2).resultCode());
            await().atMost(Duration.ofSeconds(5)).until(() -> server.inFlightRequests() == 0);
            int again = tm.request(new GlobalBeginRequest(60_000, "again"));
            assertEquals(ResultCode.Success, answer(tm, again, GlobalBeginResponse.class).resultCode());
            assertEquals(2, server.refusedBegins());
        }
    }

    @Test
    void continuationsCountTowardsTheBoundSoABusyNodeStartsNothingNew() {
        start(2, 30_000);
        String a = service.real.begin();
        String b = service.real.begin();
        service.holdCommitOf.add(a);
        service.holdCommitOf.add(b);
        try (RawClient tm = new RawClient(server.port())) {
            tm.registerTm("orders", "2.5.0");
            int heldBegin = tm.request(new GlobalBeginRequest(60_000, "hold"));
            int heldCommit = tm.request(new GlobalEndRequest(GlobalEndRequest.Kind.COMMIT, a, null));
            await().atMost(Duration.ofSeconds(5)).until(() -> service.held.size() == 2);
            int refused = tm.request(new GlobalBeginRequest(60_000, "new"));
            assertBusy(answer(tm, refused, GlobalBeginResponse.class));
            // a commit is admitted even though it takes the node past its bound
            int secondCommit = tm.request(new GlobalEndRequest(GlobalEndRequest.Kind.COMMIT, b, null));
            await().atMost(Duration.ofSeconds(5)).until(() -> service.held.size() == 3);
            assertEquals(3, server.inFlightRequests());
            service.releaseAll();
            Map<Integer, Response> byId = new HashMap<>();
            for (int i = 0; i < 3; i++) {
                RpcFrame f = tm.next();
                byId.put(f.requestId(), (Response) f.body());
            }
            assertEquals(ResultCode.Success, byId.get(heldBegin).resultCode());
            assertEquals(GlobalStatus.Committed, ((GlobalEndResponse) byId.get(heldCommit)).globalStatus());
            assertEquals(GlobalStatus.Committed, ((GlobalEndResponse) byId.get(secondCommit)).globalStatus());
            await().atMost(Duration.ofSeconds(5)).until(() -> server.inFlightRequests() == 0);
        }
    }

    @Test
    void aTimedOutRequestGivesItsPlaceBack() {
        start(1, 300);
        try (RawClient tm = new RawClient(server.port())) {
            tm.registerTm("orders", "2.5.0");
            int held = tm.request(new GlobalBeginRequest(60_000, "hold"));
            GlobalBeginResponse timedOut = answer(tm, held, GlobalBeginResponse.class);
            assertEquals(ResultCode.Failed, timedOut.resultCode());
            assertTrue(timedOut.msg().contains("timed out"), timedOut.msg());
            int next = tm.request(new GlobalBeginRequest(60_000, "next"));
            assertEquals(ResultCode.Success, answer(tm, next, GlobalBeginResponse.class).resultCode());
            assertEquals(0, server.refusedBegins());
        }
    }

    @Test
    void noBoundWhenTheLimitIsZero() {
        start(0, 30_000);
        try (RawClient tm = new RawClient(server.port())) {
            tm.registerTm("orders", "2.5.0");
            for (int i = 0; i < 20; i++) {
                tm.request(new GlobalBeginRequest(60_000, "hold-" + i));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> service.held.size() == 20);
            int id = tm.request(new GlobalBeginRequest(60_000, "free"));
            assertEquals(ResultCode.Success, answer(tm, id, GlobalBeginResponse.class).resultCode());
            service.releaseAll();
            for (int i = 0; i < 20; i++) {
                assertEquals(ResultCode.Success, ((Response) tm.next().body()).resultCode());
            }
            assertEquals(0, server.refusedBegins());
        }
    }
}
