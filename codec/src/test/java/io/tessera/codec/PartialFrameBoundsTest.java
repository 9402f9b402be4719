package io.tessera.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.tessera.codec.message.RegisterRMRequest;
import io.tessera.codec.seata.SeataBodyCodec;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The node-wide bound on bytes held in partial frames, and the decoder's allocations while a frame
 * arrives in pieces: reserved while incomplete, released when complete or closed, refused over the
 * bound, and never a buffer larger than the frame's declared length.
 */
class PartialFrameBoundsTest {
    private final FrameCodec codec = new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME_LENGTH, List.of(new SeataBodyCodec()));

    private EmbeddedChannel channel(PendingFrameBudget budget, BadInputTest.TrackingAllocator alloc) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(alloc);
        ch.pipeline().addLast(new FrameDecoder(codec, budget, 0));
        return ch;
    }

    private static FrameDecoder decoder(EmbeddedChannel ch) {
        return ch.pipeline().get(FrameDecoder.class);
    }

    /** A real frame of about {@code size} bytes: a RegisterRM whose resource list fills it. */
    private byte[] frameOf(int size) {
        char[] ids = new char[size - 64];
        Arrays.fill(ids, 'r');
        return codec.encode(RpcFrame.request(7, RpcFrame.CODEC_SEATA,
                new RegisterRMRequest("2.5.0", "app", "group", null, new String(ids))));
    }

    private static byte[] prefix(int declared, int totalBytes) {
        return ByteBuffer.allocate(totalBytes).put((byte) 0xDA).put((byte) 0xDA).put((byte) 1).putInt(declared).array();
    }

    @Test
    void aFrameArrivingInPiecesHoldsItsDeclaredLengthUntilItIsComplete() {
        PendingFrameBudget budget = new PendingFrameBudget(64L * 1024 * 1024);
        BadInputTest.TrackingAllocator alloc = new BadInputTest.TrackingAllocator();
        EmbeddedChannel ch = channel(budget, alloc);
        byte[] frame = frameOf(1024 * 1024);
        int chunk = 16 * 1024;
        for (int at = 0; at < frame.length - chunk; at += chunk) {
            ch.writeInbound(Unpooled.wrappedBuffer(frame, at, chunk));
            assertEquals(frame.length, budget.held(), "reserved while incomplete, after byte " + (at + chunk));
            assertEquals(frame.length, decoder(ch).reservedBytes());
        }
        int last = frame.length - frame.length / chunk * chunk;
        ch.writeInbound(Unpooled.wrappedBuffer(frame, frame.length - (last == 0 ? chunk : last), last == 0 ? chunk : last));
        RpcFrame decoded = assertInstanceOf(RpcFrame.class, ch.readInbound());
        assertEquals(7, decoded.requestId());
        assertEquals(0, budget.held(), "released once complete");
        assertTrue(alloc.largest <= frame.length, "largest buffer " + alloc.largest + " > frame " + frame.length);
        ch.finishAndReleaseAll();
    }

    @Test
    void aFrameOverTheNodeBoundIsRefusedAndAClosedConnectionGivesItsShareBack() {
        // 256 KiB bound: frames over 64 KiB may use 224 KiB of it, small frames all of it.
        PendingFrameBudget budget = new PendingFrameBudget(256 * 1024);
        EmbeddedChannel holder = channel(budget, new BadInputTest.TrackingAllocator());
        holder.writeInbound(Unpooled.wrappedBuffer(prefix(200 * 1024, 1_000)));
        assertEquals(200 * 1024, budget.held());

        EmbeddedChannel refused = channel(budget, new BadInputTest.TrackingAllocator());
        DecoderException e = org.junit.jupiter.api.Assertions.assertThrows(DecoderException.class,
                () -> refused.writeInbound(Unpooled.wrappedBuffer(prefix(100 * 1024, 100))));
        CodecException cause = assertInstanceOf(CodecException.class, e.getCause());
        assertEquals(CodecException.Reason.PENDING_BYTES_LIMIT, cause.reason());
        assertTrue(cause.getMessage().contains("102400 bytes") && cause.getMessage().contains("262144"),
                cause.getMessage());
        assertEquals(200 * 1024, budget.held(), "a refused frame reserves nothing");

        // A small frame still fits in the share large frames cannot take.
        EmbeddedChannel small = channel(budget, new BadInputTest.TrackingAllocator());
        small.writeInbound(Unpooled.wrappedBuffer(prefix(2_000, 50)));
        assertEquals(200 * 1024 + 2_000, budget.held());

        holder.finishAndReleaseAll();
        assertEquals(2_000, budget.held(), "closing the holder released its reservation");
        EmbeddedChannel again = channel(budget, new BadInputTest.TrackingAllocator());
        again.writeInbound(Unpooled.wrappedBuffer(prefix(100 * 1024, 100)));
        assertEquals(100 * 1024 + 2_000, budget.held());
        again.finishAndReleaseAll();
        small.finishAndReleaseAll();
        refused.finishAndReleaseAll();
        assertEquals(0, budget.held());
    }

    @Test
    void bytesOfTheNextFrameDoNotKeepTheLastFramesReservation() {
        PendingFrameBudget budget = new PendingFrameBudget(64L * 1024 * 1024);
        EmbeddedChannel ch = channel(budget, new BadInputTest.TrackingAllocator());
        byte[] frame = frameOf(200_000);
        byte[] withNext = Arrays.copyOf(frame, frame.length + 10);
        System.arraycopy(prefix(300, 10), 0, withNext, frame.length, 10);
        ch.writeInbound(Unpooled.wrappedBuffer(withNext, 0, 100_000));
        assertEquals(frame.length, budget.held());
        ch.writeInbound(Unpooled.wrappedBuffer(withNext, 100_000, withNext.length - 100_000));
        assertInstanceOf(RpcFrame.class, ch.readInbound());
        // What is held now is the next frame's start, in the buffer that also held the last frame.
        assertTrue(budget.held() >= 300 && budget.held() <= withNext.length, "held " + budget.held());
        ch.finishAndReleaseAll();
        assertEquals(0, budget.held());
    }
}
