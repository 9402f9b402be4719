package io.tessera.coordinator.transport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.codec.RpcFrame;
import io.tessera.codec.message.RegisterRMResponse;
import io.tessera.codec.message.RegisterTMResponse;
import io.tessera.coordinator.testing.FrontEnd;
import io.tessera.coordinator.testing.InMemoryTransactionService;
import io.tessera.coordinator.testing.RawClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A registration in a serializer we do not speak is answered in SEATA with identified=false and the
 * reason in the version field (the one field of these responses the SEATA codec carries and every
 * client prints), then the connection is closed. The real clients' side is in compat-matrix.
 */
@Timeout(60)
class SerializerRefusalTest {
    private FrontEnd frontEnd;

    @BeforeEach
    void start() {
        frontEnd = new FrontEnd(new InMemoryTransactionService("127.0.0.1:8091"), 400, 15_000);
    }

    @AfterEach
    void stop() {
        frontEnd.close();
    }

    @Test
    void aKryoRegistrationGetsBothRefusalsUnderItsIdThenTheConnectionCloses() {
        try (RawClient client = new RawClient(frontEnd.port())) {
            // Kryo writes registered class ids, not names: nothing says TM or RM.
            client.sendRaw(frame((byte) 4, 7, new byte[] {1, 0x5a, 3, 'a', 'p', 'p'}));
            RpcFrame tm = client.next();
            RpcFrame rm = client.next();
            for (RpcFrame f : new RpcFrame[] {tm, rm}) {
                assertEquals(7, f.requestId());
                assertEquals(RpcFrame.TYPE_RESPONSE, f.messageType());
                assertEquals(RpcFrame.CODEC_SEATA, f.codec());
            }
            RegisterTMResponse tmBody = assertInstanceOf(RegisterTMResponse.class, tm.body());
            assertFalse(tmBody.identified());
            assertTrue(tmBody.version().contains("refuses the KRYO serializer (codec 4)"), tmBody.version());
            assertTrue(tmBody.version().contains("set transport.serialization=seata"), tmBody.version());
            assertFalse(assertInstanceOf(RegisterRMResponse.class, rm.body()).identified());
            awaitClosed(client);
        }
    }

    @Test
    void aHessianRegistrationNamesItsClassAndGetsOnlyItsOwnAnswer() {
        try (RawClient client = new RawClient(frontEnd.port())) {
            byte[] hessian = "C00org.apache.seata.core.protocol.RegisterRMRequest\u0092\u000bresourceIds"
                    .getBytes(StandardCharsets.ISO_8859_1);
            client.sendRaw(frame((byte) 22, 3, hessian));
            RegisterRMResponse rm = assertInstanceOf(RegisterRMResponse.class, client.next().body());
            assertFalse(rm.identified());
            assertTrue(rm.version().contains("HESSIAN serializer (codec 22)"), rm.version());
            awaitClosed(client);
            assertTrue(client.nothingElseWithin(Duration.ofMillis(200)));
        }
    }

    @Test
    void aForeignFrameAfterRegistrationOnlyCloses() {
        try (RawClient client = new RawClient(frontEnd.port())) {
            client.registerTm("orders", "2.5.0");
            client.sendRaw(frame((byte) 4, 9, new byte[] {1, 2, 3}));
            awaitClosed(client);
            assertTrue(client.nothingElseWithin(Duration.ofMillis(200)));
        }
    }

    /** A v1 request frame with {@code body} bytes and {@code codec} as its serializer byte. */
    private static byte[] frame(byte codec, int requestId, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(16 + body.length);
        b.put((byte) 0xDA).put((byte) 0xDA).put((byte) 1).putInt(16 + body.length).putShort((short) 16)
                .put(RpcFrame.TYPE_REQUEST).put(codec).put(RpcFrame.COMPRESSOR_NONE).putInt(requestId).put(body);
        return b.array();
    }

    private static void awaitClosed(RawClient client) {
        await().atMost(Duration.ofSeconds(5)).until(() -> !client.isOpen());
    }
}
