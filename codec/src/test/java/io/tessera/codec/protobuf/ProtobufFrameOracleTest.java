package io.tessera.codec.protobuf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.tessera.codec.FrameCodec;
import io.tessera.codec.RpcFrame;
import io.tessera.codec.message.Message;
import io.tessera.codec.message.Response;
import io.tessera.codec.oracle.SeataOracle;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.seata.core.serializer.SerializerServiceLoader;
import org.apache.seata.core.serializer.SerializerType;
import org.apache.seata.serializer.protobuf.ProtobufSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Whole v1 frames with codec byte 0x02 through seata-all's own ProtocolEncoderV1/ProtocolDecoderV1,
 * which find the PROTOBUF serializer the way a real client does (SerializerServiceLoader, using the
 * test-classpath registry.conf/file.conf): our FrameCodec + ProtobufBodyCodec must produce the same
 * bytes and read theirs back.
 */
class ProtobufFrameOracleTest {

    private static final long SEED = Long.getLong("tessera.protobuf.seed", 0xf4a3eL);
    private static final int CASES = 40;

    private final FrameCodec frames = new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME_LENGTH,
            List.of(new ProtobufBodyCodec()));
    private final SeataOracle oracle = new SeataOracle();

    @Test
    void seataLoadsTheTwoTwoSerializerForCodecByteTwo() {
        assertInstanceOf(ProtobufSerializer.class,
                SerializerServiceLoader.load(SerializerType.PROTOBUF, (byte) 1));
        assertEquals((byte) 0x02, SerializerType.PROTOBUF.getCode());
    }

    @ParameterizedTest
    @EnumSource(RandomRecords.Kind.class)
    void framesMatchSeataBothWays(RandomRecords.Kind kind) {
        Random seeds = new Random(SEED + kind.ordinal());
        for (int i = 0; i < CASES; i++) {
            long caseSeed = seeds.nextLong();
            Random rnd = new Random(caseSeed);
            Message body = kind.generate(new RandomRecords(rnd));
            RpcFrame ours = frame(rnd.nextInt(), body);
            RpcFrame expected = frame(ours.requestId(), WireExpectations.expected(body));
            String what = kind + " case " + i + " (seed " + SEED + ", case seed " + caseSeed + ")";

            byte[] ourBytes = frames.encode(ours);
            assertEquals(expected, oracle.decodeWithSeata(ourBytes), what + ": seata decode of our frame");
            if (WireExpectations.referenceCanEncode(expected.body())) {
                byte[] seataBytes = oracle.encodeWithSeata(expected);
                assertArrayEquals(seataBytes, ourBytes, what + ": frame bytes");
                assertEquals(expected, frames.decode(seataBytes), what + ": our decode of seata's frame");
            }
        }
    }

    private static RpcFrame frame(int id, Message body) {
        byte type = body instanceof Response || body instanceof io.tessera.codec.message.MergeResultMessage
                || body instanceof io.tessera.codec.message.BatchResultMessage
                ? RpcFrame.TYPE_RESPONSE : RpcFrame.TYPE_REQUEST;
        return new RpcFrame(type, RpcFrame.CODEC_PROTOBUF, RpcFrame.COMPRESSOR_NONE, id, Map.of(), body);
    }
}
