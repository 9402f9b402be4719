package io.tessera.coordinator.transport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.codec.RpcFrame;
import io.tessera.codec.message.BranchEndRequest;
import io.tessera.codec.message.BranchEndResponse;
import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.ResultCode;
import io.tessera.codec.message.TransactionExceptionCode;
import io.tessera.coordinator.testing.FrontEnd;
import io.tessera.coordinator.testing.InMemoryTransactionService;
import io.tessera.coordinator.testing.RawClient;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.AbstractScheduledEventExecutor;
import io.tessera.codec.message.RegisterRMRequest;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RmChannelsTest {
    private FrontEnd frontEnd;

    private FrontEnd start(long rmTimeoutMs) {
        frontEnd = new FrontEnd(new InMemoryTransactionService("127.0.0.1:8091"), 5_000, rmTimeoutMs);
        return frontEnd;
    }

    @AfterEach
    void stop() {
        if (frontEnd != null) {
            frontEnd.close();
        }
    }

    private RawClient rm(String app, String localIp, String resources) {
        RawClient c = new RawClient(frontEnd.port(), localIp);
        c.registerRm(app, "2.5.0", resources);
        return c;
    }

    private static String clientId(String app, RawClient c) {
        return app + ":" + c.localIp() + ":" + c.localPort();
    }

    private Optional<String> selected(String resource, String clientId, BranchType type) {
        return frontEnd.rmChannels.select(resource, clientId, type).map(ClientSession::clientId);
    }

    private void closeAndForget(RawClient c, int remaining) {
        c.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> frontEnd.rmChannels.sessions().size() == remaining);
    }

    @Test
    void selectionFollowsTheReferenceFallbackOrder() {
        start(15_000);
        RawClient a1 = rm("orders", "127.0.0.1", "R");
        RawClient a2 = rm("orders", "127.0.0.1", "R");
        RawClient a3 = rm("orders", "127.0.0.2", "R");
        RawClient b1 = rm("stock", "127.0.0.1", "R,S");
        RawClient other = rm("orders", "127.0.0.1", "OTHER");
        try {
            String wanted = clientId("orders", a1);
            assertEquals(Optional.of(wanted), selected("R", wanted, BranchType.TCC));
            assertEquals(Optional.of(clientId("orders", a2)), selected("R", clientId("orders", a2), BranchType.TCC));

            closeAndForget(a1, 4);   // b. same application, same ip, other port
            assertEquals(Optional.of(clientId("orders", a2)), selected("R", wanted, BranchType.TCC));

            closeAndForget(a2, 3);   // c. same application on another ip
            assertEquals(Optional.of(clientId("orders", a3)), selected("R", wanted, BranchType.TCC));

            closeAndForget(a3, 2);   // d. only AT may fall back to another application holding the resource
            assertEquals(Optional.empty(), selected("R", wanted, BranchType.TCC));
            assertEquals(Optional.of(clientId("stock", b1)), selected("R", wanted, BranchType.AT));
            // never a connection that does not hold the resource
            assertEquals(Optional.empty(), selected("NOPE", wanted, BranchType.AT));
        } finally {
            b1.close();
            other.close();
        }
    }

    @Test
    void resourcesAddedLaterAreIndexedAndACloseRemovesEveryResource() {
        start(15_000);
        RawClient a1 = rm("orders", "127.0.0.1", "R");
        RawClient a2 = rm("orders", "127.0.0.1", "S");
        try {
            String own = clientId("orders", a1);
            // the branch's own connection does not hold S: same application on the same ip
            assertEquals(Optional.of(clientId("orders", a2)), selected("S", own, BranchType.TCC));
            // a follow-up registration adds S to a1, which is then the exact match
            int id = a1.request(new RegisterRMRequest("2.5.0", "orders", "tx-group", null, "S"));
            assertEquals(id, a1.next().requestId());
            assertEquals(Optional.of(own), selected("S", own, BranchType.TCC));
            assertEquals(Optional.of(own), selected("R", own, BranchType.TCC));

            closeAndForget(a1, 1);
            assertEquals(Optional.of(clientId("orders", a2)), selected("S", own, BranchType.TCC));
            assertEquals(Optional.empty(), selected("R", own, BranchType.AT));
            assertEquals(Optional.empty(), selected("R", null, BranchType.AT));
        } finally {
            a2.close();
        }
    }

    @Test
    void answeredRequestsLeaveNoTimerBehindOnTheEventLoop() throws Exception {
        start(60_000);
        int n = 500;
        try (RawClient rm = rm("orders", null, "R")) {
            String id = clientId("orders", rm);
            EventLoop loop = frontEnd.rmChannels.sessions().get(0).channel().eventLoop();
            int before = scheduledTasks(loop);
            List<CompletableFuture<BranchEndResponse>> sent = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                sent.add(frontEnd.sender.send(new BranchEndRequest(true, "x:1:" + i, i, BranchType.TCC, "R", null), id));
            }
            for (int i = 0; i < n; i++) {
                RpcFrame f = rm.next();
                rm.sendAsync(RpcFrame.response(f.requestId(), RpcFrame.CODEC_SEATA,
                        answer((BranchEndRequest) f.body())));
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            // The bookkeeping runs in a completion callback on the loop, possibly just after allOf fired.
            await().atMost(Duration.ofSeconds(5)).until(() -> frontEnd.sender.pendingCount() == 0);
            // Without cancellation every answered request would keep its 60 s timer in the loop's heap.
            int after = scheduledTasks(loop);
            assertTrue(after <= before + 1, "scheduled tasks before " + before + ", after " + after);
        }
    }

    /** Size of Netty's scheduled-task heap of {@code loop}, read on the loop itself (it is not thread-safe). */
    private static int scheduledTasks(EventLoop loop) throws Exception {
        return loop.submit(() -> {
            Field field = AbstractScheduledEventExecutor.class.getDeclaredField("scheduledTaskQueue");
            field.setAccessible(true);
            Queue<?> queue = (Queue<?>) field.get(loop);
            return queue == null ? 0 : queue.size();
        }).get(5, TimeUnit.SECONDS);
    }

    @Test
    void clientIdParsing() {
        assertEquals(new RmChannels.ClientAddress("app", "10.0.0.1", 8080),
                RmChannels.ClientAddress.parse("app:10.0.0.1:8080"));
        assertEquals(new RmChannels.ClientAddress("app", "0:0:0:0:0:0:0:1", 51000),
                RmChannels.ClientAddress.parse("app:0:0:0:0:0:0:0:1:51000"));
        assertEquals(null, RmChannels.ClientAddress.parse("garbage"));
    }

    private static BranchEndResponse answer(BranchEndRequest r) {
        return new BranchEndResponse(r.commit(), ResultCode.Success, null, TransactionExceptionCode.Unknown, r.xid(),
                r.branchId(), r.commit() ? BranchStatus.PhaseTwo_Committed : BranchStatus.PhaseTwo_Rollbacked);
    }

    @Test
    void outOfOrderAnswersAreCorrelatedByRequestId() throws Exception {
        start(15_000);
        try (RawClient rm = rm("orders", null, "R")) {
            String id = clientId("orders", rm);
            CompletableFuture<BranchEndResponse> first = frontEnd.sender.send(
                    new BranchEndRequest(true, "x:1:1", 101, BranchType.TCC, "R", "{\"a\":1}"), id);
            CompletableFuture<BranchEndResponse> second = frontEnd.sender.send(
                    new BranchEndRequest(false, "x:1:2", 202, BranchType.TCC, "R", null), id);
            RpcFrame f1 = rm.next();
            RpcFrame f2 = rm.next();
            assertEquals(RpcFrame.TYPE_REQUEST, f1.messageType());
            BranchEndRequest r1 = assertInstanceOf(BranchEndRequest.class, f1.body());
            BranchEndRequest r2 = assertInstanceOf(BranchEndRequest.class, f2.body());
            assertEquals("{\"a\":1}", r1.applicationData());
            // answer the second request first
            rm.send(RpcFrame.response(f2.requestId(), RpcFrame.CODEC_SEATA, answer(r2)));
            assertEquals(202, second.get(5, TimeUnit.SECONDS).branchId());
            assertEquals(BranchStatus.PhaseTwo_Rollbacked, second.get().branchStatus());
            assertTrue(!first.isDone());
            rm.send(RpcFrame.response(f1.requestId(), RpcFrame.CODEC_SEATA, answer(r1)));
            assertEquals(101, first.get(5, TimeUnit.SECONDS).branchId());
            assertEquals(BranchStatus.PhaseTwo_Committed, first.get().branchStatus());
        }
    }

    @Test
    void unansweredRequestTimesOut() {
        start(300);
        try (RawClient rm = rm("orders", null, "R")) {
            CompletableFuture<BranchEndResponse> f = frontEnd.sender.send(
                    new BranchEndRequest(true, "x:1:1", 1, BranchType.TCC, "R", null), clientId("orders", rm));
            rm.next(); // delivered, never answered
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
            assertInstanceOf(RmRequestTimeoutException.class, e.getCause());
        }
    }

    @Test
    void closedConnectionFailsItsPendingRequestsAtOnce() {
        start(60_000);
        RawClient rm = rm("orders", null, "R");
        CompletableFuture<BranchEndResponse> f = frontEnd.sender.send(
                new BranchEndRequest(false, "x:1:1", 1, BranchType.TCC, "R", null), clientId("orders", rm));
        rm.next();
        rm.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
        assertInstanceOf(RmConnectionClosedException.class, e.getCause());
    }

    @Test
    void noChannelFailsAtOnce() {
        start(60_000);
        CompletableFuture<BranchEndResponse> f = frontEnd.sender.send(
                new BranchEndRequest(true, "x:1:1", 1, BranchType.AT, "R", null), "orders:127.0.0.1:1");
        assertTrue(f.isCompletedExceptionally());
        ExecutionException e = assertThrows(ExecutionException.class, f::get);
        assertInstanceOf(NoRmChannelException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("resource R"));
    }
}
