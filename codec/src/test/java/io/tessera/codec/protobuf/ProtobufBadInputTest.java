package io.tessera.codec.protobuf;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tessera.codec.CodecException;
import io.tessera.codec.message.Message;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hostile bodies: ProtobufBodyCodec.decode must either return a message or throw CodecException,
 * never anything else. Re-run a failure with -Dtessera.protobuf.seed=&lt;seed in the message&gt;.
 */
class ProtobufBadInputTest {

    private static final long SEED = Long.getLong("tessera.protobuf.seed", 0xbad1ea5L);

    private static final List<String> NAMES = List.of(
            "RegisterTMRequestProto", "RegisterTMResponseProto", "RegisterRMRequestProto", "RegisterRMResponseProto",
            "GlobalBeginRequestProto", "GlobalBeginResponseProto", "GlobalCommitRequestProto", "GlobalCommitResponseProto",
            "GlobalRollbackRequestProto", "GlobalRollbackResponseProto", "GlobalStatusRequestProto",
            "GlobalStatusResponseProto", "GlobalReportRequestProto", "GlobalReportResponseProto",
            "BranchRegisterRequestProto", "BranchRegisterResponseProto", "BranchReportRequestProto",
            "BranchReportResponseProto", "GlobalLockQueryRequestProto", "GlobalLockQueryResponseProto",
            "BranchCommitRequestProto", "BranchCommitResponseProto", "BranchRollbackRequestProto",
            "BranchRollbackResponseProto", "UndoLogDeleteRequestProto", "MergedWarpMessageProto",
            "MergedResultMessageProto", "BatchResultMessageProto");

    private final ProtobufBodyCodec codec = new ProtobufBodyCodec();

    @Test
    void randomBytes() {
        Random rnd = new Random(SEED);
        for (int i = 0; i < 50_000; i++) {
            byte[] b = new byte[rnd.nextInt(200)];
            rnd.nextBytes(b);
            if (b.length >= 4 && rnd.nextBoolean()) {
                // Keep the name length plausible so that more inputs get past the first check.
                ByteBuffer.wrap(b).putInt(rnd.nextInt(b.length - 3));
            }
            decodeOnlyThrowsCodecException(b, "random #" + i);
        }
    }

    @Test
    void knownNamesWithRandomPayloads() {
        Random rnd = new Random(SEED + 1);
        for (int i = 0; i < 50_000; i++) {
            byte[] payload = new byte[rnd.nextInt(120)];
            rnd.nextBytes(payload);
            decodeOnlyThrowsCodecException(withName(NAMES.get(rnd.nextInt(NAMES.size())), payload), "named #" + i);
        }
    }

    @Test
    void everyTruncationOfRealAndRandomBodies() {
        List<byte[]> bodies = validBodies(new Random(SEED + 2));
        int checked = 0;
        for (byte[] body : bodies) {
            for (int len = 0; len < body.length; len++) {
                decodeOnlyThrowsCodecException(Arrays.copyOf(body, len), "truncated to " + len);
                checked++;
            }
        }
        assertTrue(checked > 5_000, "truncations checked: " + checked);
    }

    @Test
    void mutatedRealAndRandomBodies() {
        Random rnd = new Random(SEED + 3);
        List<byte[]> bodies = validBodies(new Random(SEED + 4));
        for (int i = 0; i < 20_000; i++) {
            byte[] b = bodies.get(rnd.nextInt(bodies.size())).clone();
            for (int flips = 1 + rnd.nextInt(4); flips > 0; flips--) {
                int at = rnd.nextInt(b.length);
                b[at] = rnd.nextBoolean() ? (byte) (b[at] ^ (1 << rnd.nextInt(8))) : (byte) rnd.nextInt();
            }
            decodeOnlyThrowsCodecException(b, "mutation #" + i);
        }
    }

    /** The golden vectors plus our encodings of random records of every type. */
    private List<byte[]> validBodies(Random rnd) {
        List<byte[]> bodies = new ArrayList<>();
        for (String id : ProtobufGoldenVectorTest.IDS) {
            bodies.add(ProtobufGoldenVectorTest.body(id));
        }
        for (RandomRecords.Kind kind : RandomRecords.Kind.values()) {
            for (int i = 0; i < 5; i++) {
                byte[] body = codec.encode(kind.generate(new RandomRecords(rnd)));
                if (body.length < 600) {
                    bodies.add(body);
                }
            }
        }
        return bodies;
    }

    private void decodeOnlyThrowsCodecException(byte[] body, String what) {
        Message decoded;
        try {
            decoded = codec.decode(body);
        } catch (CodecException expected) {
            // The codec's catch-all for unexpected runtime exceptions is a safety net only: every
            // rejection here must come from an explicit check or from protobuf's own parser.
            Throwable cause = expected.getCause();
            if (cause != null && !(cause instanceof com.google.protobuf.InvalidProtocolBufferException)
                    && !(cause instanceof java.nio.charset.CharacterCodingException)) {
                fail(what + " (seed " + SEED + ") hit the safety net: " + cause + " for "
                        + java.util.HexFormat.of().formatHex(body), cause);
            }
            return;
        } catch (Throwable t) {
            fail(what + " (seed " + SEED + ") threw " + t + " for " + java.util.HexFormat.of().formatHex(body), t);
            return;
        }
        try {
            codec.encode(decoded);
        } catch (CodecException expected) {
            // A decoded value may be one we refuse to send (e.g. BranchReport status Unknown).
        } catch (Throwable t) {
            fail(what + " (seed " + SEED + "): re-encoding " + decoded + " threw " + t, t);
        }
    }

    private static byte[] withName(String simpleName, byte[] payload) {
        byte[] name = ("org.apache.seata.protocol.protobuf." + simpleName).getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + name.length + payload.length).putInt(name.length).put(name).put(payload).array();
    }
}
