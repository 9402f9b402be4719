package io.tessera.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Cuts a TCP byte stream into protocol-v1 frames and decodes them into {@link RpcFrame}s.
 *
 * <pre>
 * offset size field
 *   0     2   magic 0xDA 0xDA
 *   2     1   version 0x01 (0x00 = legacy v0, refused)
 *   3     4   fullLength, int32 BE: whole frame incl. header, 16 ..= maxFrameLength
 *   7     2   headLength, int16 BE: 16 + head-map bytes
 *   9     1   messageType (0 request, 1 response, 2 oneway, 3 ping, 4 pong)
 *  10     1   codec (0x01 SEATA, 0x02 PROTOBUF)
 *  11     1   compressor (0 none ... 7 zstd)
 *  12     4   requestId, int32 BE
 *  16     headLength-16   head-map
 *  headLength  fullLength-headLength   body = compress(serialize(message)); none for 3/4
 * </pre>
 *
 * Magic, version and fullLength are validated as soon as their bytes arrive, before any body is
 * buffered, so an oversize or garbage frame is refused immediately. After the first bad frame the
 * stream cannot be re-synchronised: the decoder drops everything that follows and the pipeline is
 * expected to close the connection on the {@link io.netty.handler.codec.DecoderException} (wrapping
 * a {@link CodecException}) it sees.
 *
 * <p>The PROTOBUF package naming of the frames read is remembered on the channel for its
 * {@link FrameEncoder} ({@link ConnectionProtoNaming}).
 *
 * <p>Partial frames are bounded in time and memory. While the decoder holds an incomplete frame it
 * holds a reservation in the node's {@link PendingFrameBudget} for what it keeps (the frame's declared
 * length, or the buffer's capacity if larger); a frame that would pass the bound fails with
 * {@link CodecException.Reason#PENDING_BYTES_LIMIT}. Its cumulation buffer grows with the bytes that
 * arrive and never past the granted length. A frame whose first byte arrived must be complete within the
 * frame timeout, otherwise {@link CodecException.Reason#FRAME_TIMEOUT} is fired down the pipeline, so a
 * client trickling bytes cannot hold a connection (the reader-idle timeout resets on every byte).
 * All state is touched only on the channel's event loop (decode, cumulate and the deadline task).
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    private final FrameCodec codec;
    private final PendingFrameBudget budget;
    private final long frameTimeoutNanos;
    private boolean failed;
    /** Bytes reserved in the budget for the partial frame this decoder holds; 0 when none. */
    private long reserved;
    /** Declared length of the partial frame at the reader index, once its prefix arrived; 0 otherwise. */
    private int declared;
    private boolean partial;
    private long partialSince;
    private ScheduledFuture<?> deadline;

    /** No deadline and no bound on partial frames: for clients and tests that read trusted peers. */
    public FrameDecoder(FrameCodec codec) {
        this(codec, PendingFrameBudget.unbounded(), 0);
    }

    /**
     * @param budget shared by every connection of the node
     * @param frameTimeoutMillis time from a frame's first byte to its last; 0 = none
     */
    public FrameDecoder(FrameCodec codec, PendingFrameBudget budget, long frameTimeoutMillis) {
        this.codec = codec;
        this.budget = budget;
        this.frameTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(frameTimeoutMillis);
        setCumulator(this::cumulate);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            int fullLength = codec.checkPrefix(in);
            if (fullLength < 0 || in.readableBytes() < fullLength) {
                holdPartial(ctx, in, fullLength);
                return;
            }
            ByteBuf frame = in.readSlice(fullLength);
            frameCompleted();
            RpcFrame decoded = codec.decodeFrame(frame);
            ConnectionProtoNaming.learn(ctx.channel(), decoded);
            out.add(decoded);
        } catch (CodecException e) {
            fail();
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    /** Bytes this decoder holds reserved in the node's budget (for tests and stats). */
    public long reservedBytes() {
        return reserved;
    }

    private void holdPartial(ChannelHandlerContext ctx, ByteBuf in, int fullLength) {
        if (!partial) {
            partial = true;
            partialSince = System.nanoTime();
            armDeadline(ctx);
        }
        if (fullLength > 0) {
            declared = fullLength;
        }
        long holding = Math.max(declared, in.capacity());
        if (!budget.tryGrow(reserved, holding)) {
            throw new CodecException(CodecException.Reason.PENDING_BYTES_LIMIT, "holding a partial frame of "
                    + (declared > 0 ? declared + " bytes" : "unknown length") + " would put the node's partial frames over "
                    + budget.limit() + " bytes (" + budget.held() + " held now)");
        }
        reserved = Math.max(reserved, holding);
    }

    private void frameCompleted() {
        releaseReservation();
        declared = 0;
        partial = false;
    }

    private void fail() {
        failed = true;
        frameCompleted();
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    private void releaseReservation() {
        if (reserved > 0) {
            budget.release(reserved);
            reserved = 0;
        }
    }

    /** One timer per connection at most, armed when a partial frame starts and re-armed only while one is held. */
    private void armDeadline(ChannelHandlerContext ctx) {
        if (frameTimeoutNanos > 0 && deadline == null) {
            deadline = ctx.executor().schedule(() -> checkDeadline(ctx), frameTimeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void checkDeadline(ChannelHandlerContext ctx) {
        deadline = null;
        if (failed || !partial || !ctx.channel().isActive()) {
            return;
        }
        long waited = System.nanoTime() - partialSince;
        if (waited < frameTimeoutNanos) {
            deadline = ctx.executor().schedule(() -> checkDeadline(ctx), frameTimeoutNanos - waited,
                    TimeUnit.NANOSECONDS);
            return;
        }
        int have = internalBuffer().readableBytes();
        String of = declared > 0 ? " of " + declared : "";
        fail();
        ctx.fireExceptionCaught(new CodecException(CodecException.Reason.FRAME_TIMEOUT, "frame incomplete "
                + TimeUnit.NANOSECONDS.toMillis(waited) + " ms after its first byte (" + have + of + " bytes received)"));
    }

    /**
     * Like Netty's merge cumulator, except for how much it allocates: the buffer grows with the bytes
     * received (doubling, so a frame arriving in many reads is not copied over and over) but never past
     * the partial frame's granted length, and nothing is rounded up to a power of two. Nothing is
     * allocated ahead for a large declared length whose bytes have not arrived. An oversized buffer
     * left from an earlier, larger frame is replaced rather than kept.
     */
    private ByteBuf cumulate(ByteBufAllocator alloc, ByteBuf cumulation, ByteBuf in) {
        if (!cumulation.isReadable() && in.isContiguous()) {
            cumulation.release();
            return in;
        }
        try {
            int adding = in.readableBytes();
            int total = cumulation.readableBytes() + adding;
            boolean fits = adding <= cumulation.writableBytes() && cumulation.refCnt() == 1 && !cumulation.isReadOnly();
            boolean oversized = cumulation.capacity() > PendingFrameBudget.SMALL_FRAME_BYTES
                    && cumulation.capacity() > 2L * Math.max(total, declared);
            if (fits && !oversized) {
                cumulation.writeBytes(in, in.readerIndex(), adding);
                in.readerIndex(in.writerIndex());
                return cumulation;
            }
            int capacity = declared > total ? (int) Math.min(declared, 2L * total) : total;
            ByteBuf merged = alloc.buffer(capacity, capacity);
            merged.writeBytes(cumulation, cumulation.readerIndex(), cumulation.readableBytes());
            merged.writeBytes(in, in.readerIndex(), adding);
            in.readerIndex(in.writerIndex());
            cumulation.release();
            return merged;
        } finally {
            in.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        try {
            super.channelInactive(ctx);
        } finally {
            fail();
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        fail();
    }
}
