package io.tessera.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

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
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    private final FrameCodec codec;
    private boolean failed;

    public FrameDecoder(FrameCodec codec) {
        this.codec = codec;
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
                return;
            }
            ByteBuf frame = in.readSlice(fullLength);
            out.add(codec.decodeFrame(frame));
        } catch (CodecException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }
}
