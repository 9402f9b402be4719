package io.tessera.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import io.tessera.codec.message.BranchEndRequest;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.oracle.SeataVectors;
import io.tessera.codec.seata.SeataBodyCodec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** FrameEncoder/FrameDecoder in a pipeline: outbound bytes, several frames per read, unencodable frames. */
class NettyHandlersTest {
    private final FrameCodec codec = new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME_LENGTH, List.of(new SeataBodyCodec()));
    private final SeataVectors vectors = SeataVectors.load();

    @Test
    void encoderWritesTheCodecBytesAndDecoderReadsManyFramesPerRead() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameEncoder(codec), new FrameDecoder(codec));
        ByteBuf all = Unpooled.buffer();
        List<RpcFrame> expected = new ArrayList<>();
        for (String id : List.of("V1", "V3", "V20", "V32", "V34", "V35", "V40")) {
            RpcFrame frame = codec.decode(vectors.frame(id));
            expected.add(frame);
            ch.writeOutbound(frame);
            ByteBuf out = ch.readOutbound();
            byte[] bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            out.release();
            assertArrayEquals(vectors.frame(id), bytes, id);
            all.writeBytes(bytes);
        }
        ch.writeInbound(all);
        List<RpcFrame> got = new ArrayList<>();
        for (Object o = ch.readInbound(); o != null; o = ch.readInbound()) {
            got.add((RpcFrame) o);
        }
        assertEquals(expected, got);
        ch.finishAndReleaseAll();
    }

    @Test
    void unencodableFrameFailsTheWriteAndSendsNothing() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameEncoder(codec));
        RpcFrame bad = RpcFrame.request(1, RpcFrame.CODEC_SEATA, new BranchEndRequest(true, "", 1, BranchType.AT,
                "r", null));
        EncoderException e = assertThrows(EncoderException.class, () -> ch.writeOutbound(bad));
        assertEquals(CodecException.Reason.UNENCODABLE, assertInstanceOf(CodecException.class, e.getCause()).reason());
        assertNull(ch.readOutbound());
        ch.finishAndReleaseAll();
    }
}
