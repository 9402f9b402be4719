package io.tessera.coordinator.transport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.codec.RpcFrame;
import io.tessera.codec.message.GlobalBeginRequest;
import io.tessera.codec.message.GlobalBeginResponse;
import io.tessera.codec.message.HeartbeatMessage;
import io.tessera.codec.message.RegisterTMResponse;
import io.tessera.codec.message.ResultCode;
import io.tessera.coordinator.clientauth.ClientAuth;
import io.tessera.coordinator.config.NodeConfig.TransactionLimits;
import io.tessera.coordinator.testing.Codecs;
import io.tessera.coordinator.testing.FrontEnd;
import io.tessera.coordinator.testing.InMemoryTransactionService;
import io.tessera.coordinator.testing.PlainSocket;
import io.tessera.coordinator.testing.RawClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What one client can hold on the transaction port, over real sockets: time to register, connections
 * per node and per source, time to finish a frame, and memory in partial frames across the node.
 */
@Timeout(60)
class ConnectionBoundsTest {
    private static final int MIB = 1024 * 1024;
    private final InMemoryTransactionService service = new InMemoryTransactionService("127.0.0.1:8091");
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private final List<AutoCloseable> open = new ArrayList<>();
    private FrontEnd frontEnd;

    private FrontEnd start(TransactionLimits limits) {
        frontEnd = new FrontEnd(service, 2_000, 15_000, 15, limits, ClientAuth.off());
        return frontEnd;
    }

    private static TransactionLimits limits(int registrationTimeoutMs, int maxConnections, int perSource,
            int frameTimeoutMs, long maxPendingFrameBytes) {
        TransactionLimits d = TransactionLimits.defaults();
        return new TransactionLimits(registrationTimeoutMs, maxConnections, perSource, frameTimeoutMs,
                maxPendingFrameBytes, d.maxResourceIds(), d.maxFieldLength(), d.applicationDataLimit());
    }

    private <T extends AutoCloseable> T track(T c) {
        open.add(c);
        return c;
    }

    @AfterEach
    void stop() throws Exception {
        scheduler.shutdownNow();
        for (AutoCloseable c : open) {
            c.close();
        }
        if (frontEnd != null) {
            frontEnd.close();
        }
    }

    private static void assertBegins(RawClient tm) {
        int id = tm.request(new GlobalBeginRequest(60_000, "still-served"));
        RpcFrame answer = tm.next();
        assertEquals(id, answer.requestId());
        assertEquals(ResultCode.Success, assertInstanceOf(GlobalBeginResponse.class, answer.body()).resultCode());
    }

    private static RawClient registeredTm(int port, String localIp) {
        RawClient tm = new RawClient(port, localIp);
        assertTrue(assertInstanceOf(RegisterTMResponse.class, tm.registerTm("orders", "2.5.0").body()).identified());
        return tm;
    }

    @Test
    void connectionsThatOnlyPingAreClosedAtTheRegistrationDeadline() {
        start(limits(700, 4_096, 256, 10_000, 64L * MIB));
        RawClient pinger = track(new RawClient(frontEnd.port()));
        long connected = System.nanoTime();
        PlainSocket silent = track(new PlainSocket(frontEnd.port()));
        RawClient registered = track(registeredTm(frontEnd.port(), null));
        AtomicInteger pingId = new AtomicInteger(1_000);
        scheduler.scheduleAtFixedRate(() -> {
            if (pinger.isOpen()) {
                pinger.sendAsync(new RpcFrame(RpcFrame.TYPE_HEARTBEAT_REQUEST, RpcFrame.CODEC_SEATA, (byte) 0,
                        pingId.incrementAndGet(), Map.of(), HeartbeatMessage.PING));
            }
        }, 0, 100, TimeUnit.MILLISECONDS);

        // Pings are answered before registration, but they do not keep the connection.
        assertEquals(RpcFrame.TYPE_HEARTBEAT_RESPONSE, pinger.next().messageType());
        await().atMost(Duration.ofSeconds(10)).until(() -> !pinger.isOpen());
        long heldMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - connected);
        assertTrue(heldMs >= 650, "closed after " + heldMs + " ms, before the 700 ms deadline");
        await().atMost(Duration.ofSeconds(5)).until(silent::closedByPeer);

        assertTrue(registered.isOpen(), "a registered connection is past its deadline and stays");
        assertBegins(registered);
    }

    @Test
    void connectionsBeyondTheNodeAndSourceCapsAreClosedAtOnceAndRegisteredOnesKeepWorking() {
        start(limits(30_000, 5, 3, 10_000, 64L * MIB));
        List<RawClient> first = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            first.add(track(registeredTm(frontEnd.port(), "127.0.0.1")));
        }
        PlainSocket overSource = track(new PlainSocket(frontEnd.port(), "127.0.0.1"));
        await().atMost(Duration.ofSeconds(5)).until(overSource::closedByPeer);

        RawClient other1 = track(registeredTm(frontEnd.port(), "127.0.0.2"));
        RawClient other2 = track(registeredTm(frontEnd.port(), "127.0.0.2"));
        assertEquals(5, frontEnd.server.openConnections());
        PlainSocket overNode = track(new PlainSocket(frontEnd.port(), "127.0.0.3"));
        await().atMost(Duration.ofSeconds(5)).until(overNode::closedByPeer);

        for (RawClient tm : List.of(first.get(0), first.get(1), first.get(2), other1, other2)) {
            assertBegins(tm);
        }

        // Closing one gives its place back (the count follows the close, it cannot leak).
        first.get(0).close();
        await().atMost(Duration.ofSeconds(5)).until(() -> frontEnd.server.openConnections() == 4);
        assertBegins(track(registeredTm(frontEnd.port(), "127.0.0.1")));
        for (RawClient tm : List.of(first.get(1), first.get(2), other1, other2)) {
            tm.close();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> frontEnd.server.openConnections() == 1);
    }

    @Test
    void aFrameTrickledOneByteAtATimeIsClosedAtTheFrameDeadlineWhileAnotherClientIsServed() {
        start(limits(30_000, 4_096, 256, 1_500, 64L * MIB));
        RawClient slow = track(registeredTm(frontEnd.port(), null));
        RawClient good = track(registeredTm(frontEnd.port(), null));
        byte[] frame = Codecs.frameCodec().encode(RpcFrame.request(99, RpcFrame.CODEC_SEATA,
                new GlobalBeginRequest(60_000, "x".repeat(100))));
        AtomicInteger sent = new AtomicInteger();
        AtomicLong firstByte = new AtomicLong();
        scheduler.scheduleAtFixedRate(() -> {
            int i = sent.getAndIncrement();
            if (i < frame.length && slow.isOpen()) {
                if (i == 0) {
                    firstByte.set(System.nanoTime());
                }
                slow.sendRaw(new byte[] {frame[i]});
            }
        }, 0, 200, TimeUnit.MILLISECONDS);

        AtomicInteger served = new AtomicInteger();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            assertBegins(good);
            served.incrementAndGet();
            return !slow.isOpen();
        });
        long heldMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - firstByte.get());
        assertTrue(heldMs >= 1_400, "closed " + heldMs + " ms after the first byte, before the 1500 ms deadline");
        assertTrue(sent.get() < frame.length, "the whole frame was sent before the close");
        assertTrue(served.get() >= 1);
        assertTrue(service.threads.size() == served.get(), "the trickled begin never reached the service");
        assertBegins(good);
    }

    @Test
    void partialFramesOverTheNodeBoundAreRefusedAndTheNodeStaysHealthy() {
        // 4 MiB bound: frames over 64 KiB may hold 3.5 MiB of it, so three 1 MiB frames fit and no more.
        start(limits(30_000, 4_096, 256, 30_000, 4L * MIB));
        byte[] start = ByteBuffer.allocate(1_000).put((byte) 0xDA).put((byte) 0xDA).put((byte) 1).putInt(MIB)
                .putShort((short) 16).array();
        List<PlainSocket> holders = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            PlainSocket s = track(new PlainSocket(frontEnd.port()));
            s.write(start);
            holders.add(s);
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> holders.stream().filter(PlainSocket::closedByPeer).count() == 7);
        assertEquals(3L * MIB, frontEnd.server.pendingFrameBytes());

        RawClient normal = track(registeredTm(frontEnd.port(), null));
        assertBegins(normal);

        holders.forEach(PlainSocket::close);
        await().atMost(Duration.ofSeconds(5)).until(() -> frontEnd.server.pendingFrameBytes() == 0);
        assertBegins(normal);
    }
}
