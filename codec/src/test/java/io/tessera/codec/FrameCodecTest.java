package io.tessera.codec;

import static io.tessera.codec.CodecException.Reason.BAD_HEAD_LENGTH;
import static io.tessera.codec.CodecException.Reason.BAD_MAGIC;
import static io.tessera.codec.CodecException.Reason.DECOMPRESSION_FAILED;
import static io.tessera.codec.CodecException.Reason.FRAME_TOO_LONG;
import static io.tessera.codec.CodecException.Reason.FRAME_TOO_SHORT;
import static io.tessera.codec.CodecException.Reason.MALFORMED_BODY;
import static io.tessera.codec.CodecException.Reason.UNENCODABLE;
import static io.tessera.codec.CodecException.Reason.UNKNOWN_CODEC;
import static io.tessera.codec.CodecException.Reason.UNKNOWN_COMPRESSOR;
import static io.tessera.codec.CodecException.Reason.UNSUPPORTED_VERSION;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tessera.codec.message.BranchRegisterRequest;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalBeginRequest;
import io.tessera.codec.message.HeartbeatMessage;
import io.tessera.codec.oracle.SeataOracle;
import io.tessera.codec.oracle.SeataVectors;
import io.tessera.codec.seata.SeataBodyCodec;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Frame-layer rules of spec §2: header validation, head-map, heartbeats, size limits. */
class FrameCodecTest {
    private final FrameCodec codec = new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME_LENGTH, List.of(new SeataBodyCodec()));
    private final SeataVectors vectors = SeataVectors.load();

    private static void fails(CodecException.Reason reason, Executable call) {
        CodecException e = assertThrows(CodecException.class, call);
        assertEquals(reason, e.reason(), e.getMessage());
    }

    private static byte[] patch(byte[] frame, int at, byte... bytes) {
        byte[] copy = frame.clone();
        System.arraycopy(bytes, 0, copy, at, bytes.length);
        return copy;
    }

    private static byte[] i32(int v) {
        return ByteBuffer.allocate(4).putInt(v).array();
    }

    @Test
    void wrongMagicAndVersions() {
        byte[] v8 = vectors.frame("V8");
        fails(BAD_MAGIC, () -> codec.decode(patch(v8, 0, (byte) 0xDB)));
        fails(BAD_MAGIC, () -> codec.decode(patch(v8, 1, (byte) 0x00)));
        fails(UNSUPPORTED_VERSION, () -> codec.decode(patch(v8, 2, (byte) 0)));
        fails(UNSUPPORTED_VERSION, () -> codec.decode(patch(v8, 2, (byte) 2)));
        fails(UNSUPPORTED_VERSION, () -> codec.decode(patch(v8, 2, (byte) 0xFF)));
    }

    @Test
    void declaredLengths() {
        byte[] v8 = vectors.frame("V8");
        for (int bad : new int[] {0, 7, 15, -1, Integer.MIN_VALUE}) {
            fails(FRAME_TOO_SHORT, () -> codec.decode(patch(v8, 3, i32(bad))));
        }
        for (int huge : new int[] {FrameCodec.DEFAULT_MAX_FRAME_LENGTH + 1, Integer.MAX_VALUE}) {
            fails(FRAME_TOO_LONG, () -> codec.decode(patch(v8, 3, i32(huge))));
        }
        // Declares more than present: a truncated frame; declares less: bytes beyond the frame.
        fails(FRAME_TOO_SHORT, () -> codec.decode(patch(v8, 3, i32(v8.length + 1))));
        fails(FRAME_TOO_LONG, () -> codec.decode(patch(v8, 3, i32(v8.length - 1))));
        fails(FRAME_TOO_SHORT, () -> codec.decode(Arrays.copyOf(v8, 6)));
    }

    @Test
    void headLengthBounds() {
        byte[] v8 = vectors.frame("V8");
        for (short bad : new short[] {0, 15, -1, Short.MIN_VALUE, (short) (v8.length + 1), Short.MAX_VALUE}) {
            fails(BAD_HEAD_LENGTH, () -> codec.decode(patch(v8, 7, (byte) (bad >> 8), (byte) bad)));
        }
        // A head-map entry running past headLength.
        byte[] v35 = vectors.frame("V35");
        fails(BAD_HEAD_LENGTH, () -> codec.decode(patch(v35, 16, (byte) 0, (byte) 9)));
        fails(BAD_HEAD_LENGTH, () -> codec.decode(patch(v35, 7, (byte) 0, (byte) 0x15)));
    }

    @Test
    void headMapRoundTripsAndSeataAllReadsIt() {
        Map<String, String> head = new LinkedHashMap<>();
        head.put("compress-type", "0");
        head.put("ключ", "värde 🚀");
        head.put("", "");
        RpcFrame frame = new RpcFrame((byte) 0, RpcFrame.CODEC_SEATA, (byte) 0, 9, head,
                new GlobalBeginRequest(1, "x"));
        byte[] bytes = codec.encode(frame);
        assertEquals(frame, codec.decode(bytes));
        assertEquals(frame, new SeataOracle().decodeWithSeata(bytes));
    }

    @Test
    void headMapNullEntriesFromSeataAreDropped() {
        // key "a" -> null value (-1), then "b" -> "c"
        byte[] head = HexFormat.of().parseHex("000161ffff00016200016" + "3");
        ByteBuf buf = Unpooled.buffer();
        byte[] body = new SeataBodyCodec().encode(new GlobalBeginRequest(5, "t"));
        buf.writeBytes(new byte[] {(byte) 0xDA, (byte) 0xDA, 1}).writeInt(16 + head.length + body.length)
                .writeShort(16 + head.length).writeByte(0).writeByte(1).writeByte(0).writeInt(4)
                .writeBytes(head).writeBytes(body);
        assertEquals(Map.of("b", "c"), codec.decodeFrame(buf).headMap());
    }

    @Test
    void heartbeatsHaveNoBodyAndIgnoreOneIfPresent() {
        RpcFrame ping = new RpcFrame(RpcFrame.TYPE_HEARTBEAT_REQUEST, RpcFrame.CODEC_PROTOBUF, (byte) 7, 42, Map.of(),
                HeartbeatMessage.PING);
        byte[] bytes = codec.encode(ping);
        assertEquals(16, bytes.length);
        // Codec/compressor bytes of a heartbeat are copied, never used (here: PROTOBUF, zstd).
        assertEquals(ping, codec.decode(bytes));
        byte[] withBody = Arrays.copyOf(vectors.frame("V1"), 20);
        System.arraycopy(i32(20), 0, withBody, 3, 4);
        assertEquals(HeartbeatMessage.PING, codec.decode(withBody).body());
    }

    @Test
    void unknownCodecAndCompressor() {
        byte[] v8 = vectors.frame("V8");
        fails(UNKNOWN_CODEC, () -> codec.decode(patch(v8, 10, (byte) 0x04)));
        fails(UNKNOWN_CODEC, () -> codec.decode(patch(v8, 10, (byte) 0x00)));
        CodecException sevenZ = assertThrows(CodecException.class, () -> codec.decode(patch(v8, 11, (byte) 3)));
        assertEquals(UNKNOWN_COMPRESSOR, sevenZ.reason());
        assertTrue(sevenZ.getMessage().contains("7z"), sevenZ.getMessage());
        for (byte b : new byte[] {8, 9, 0x7F, (byte) 0x80, (byte) 0xFF, -1}) {
            fails(UNKNOWN_COMPRESSOR, () -> codec.decode(patch(v8, 11, b)));
        }
        RpcFrame frame = new RpcFrame((byte) 0, (byte) 0x16, (byte) 0, 1, Map.of(), new GlobalBeginRequest(1, "x"));
        fails(UNKNOWN_CODEC, () -> codec.encode(frame));
        RpcFrame sevenZFrame = new RpcFrame((byte) 0, RpcFrame.CODEC_SEATA, (byte) 3, 1, Map.of(),
                new GlobalBeginRequest(1, "x"));
        fails(UNKNOWN_COMPRESSOR, () -> codec.encode(sevenZFrame));
    }

    @Test
    void aFrameInAForeignSerializerIsRefusedWithItsHeaderAndBodyStart() {
        byte[] v8 = vectors.frame("V8");
        byte[] kryo = patch(v8, 10, (byte) 0x04);
        CodecException e = assertThrows(CodecException.class, () -> codec.decode(kryo));
        assertEquals(UNKNOWN_CODEC, e.reason());
        ForeignFrame f = e.foreignFrame();
        assertEquals(RpcFrame.TYPE_REQUEST, f.messageType());
        assertEquals(4, f.codec());
        assertEquals(RpcFrame.COMPRESSOR_NONE, f.compressor());
        assertEquals(5, f.requestId());
        assertArrayEquals(Arrays.copyOfRange(v8, 16, v8.length), f.bodyStart());

        // Only the start of a long body is kept.
        byte[] big = new byte[16 + 4000];
        System.arraycopy(kryo, 0, big, 0, 16);
        System.arraycopy(i32(big.length), 0, big, 3, 4);
        assertEquals(ForeignFrame.BODY_START_BYTES,
                assertThrows(CodecException.class, () -> codec.decode(big)).foreignFrame().bodyStart().length);
    }

    @Test
    void bodyProblems() {
        byte[] v8 = vectors.frame("V8");
        // Trailing garbage inside the body: one extra byte, lengths adjusted.
        byte[] trailing = Arrays.copyOf(v8, v8.length + 1);
        System.arraycopy(i32(trailing.length), 0, trailing, 3, 4);
        fails(MALFORMED_BODY, () -> codec.decode(trailing));
        // A request frame with no body at all.
        byte[] empty = patch(Arrays.copyOf(v8, 16), 3, i32(16));
        fails(MALFORMED_BODY, () -> codec.decode(empty));
        // A compressed flag on an uncompressed body.
        fails(DECOMPRESSION_FAILED, () -> codec.decode(patch(v8, 11, (byte) 1)));
        fails(DECOMPRESSION_FAILED, () -> codec.decode(patch(v8, 11, (byte) 7)));
    }

    @Test
    void maxFrameLengthIsEnforcedBothWays() {
        FrameCodec small = new FrameCodec(64, List.of(new SeataBodyCodec()));
        RpcFrame big = RpcFrame.request(1, RpcFrame.CODEC_SEATA,
                new BranchRegisterRequest("x", BranchType.AT, "r", "k".repeat(100), null));
        fails(UNENCODABLE, () -> small.encode(big));
        fails(FRAME_TOO_LONG, () -> small.decode(codec.encode(big)));
        // A gzip bomb: a small frame whose body inflates beyond the maximum frame length.
        RpcFrame bomb = new RpcFrame((byte) 0, RpcFrame.CODEC_SEATA, (byte) 1, 1, Map.of(),
                new BranchRegisterRequest("x", BranchType.AT, "r", "k".repeat(10_000), null));
        byte[] bombBytes = codec.encode(bomb);
        FrameCodec tight = new FrameCodec(bombBytes.length, List.of(new SeataBodyCodec()));
        fails(DECOMPRESSION_FAILED, () -> tight.decode(bombBytes));
        assertEquals(bomb, codec.decode(bombBytes));
    }

    @Test
    void encodeIntoByteBufMatchesByteArray() {
        RpcFrame frame = RpcFrame.request(77, RpcFrame.CODEC_SEATA, new GlobalBeginRequest(60000, "test-tx"));
        ByteBuf out = Unpooled.buffer();
        out.writeByte(0x55);
        codec.encode(frame, out);
        out.skipBytes(1);
        byte[] viaBuf = new byte[out.readableBytes()];
        out.readBytes(viaBuf);
        assertArrayEquals(codec.encode(frame), viaBuf);
        assertEquals(frame, codec.decodeFrame(Unpooled.wrappedBuffer(viaBuf)));
    }
}
