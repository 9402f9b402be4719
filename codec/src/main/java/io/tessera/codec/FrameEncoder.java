package io.tessera.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes {@link RpcFrame}s as protocol-v1 frames (see {@link FrameDecoder} for the layout). A PROTOBUF
 * frame is written in the package naming the peer used in the frames this channel's
 * {@link FrameDecoder} read (io.seata clients 1.x/2.0.0 cannot read the APACHE naming, and the reverse),
 * or as the frame says while the peer has sent none.
 */
public final class FrameEncoder extends MessageToByteEncoder<RpcFrame> {
    private final FrameCodec codec;

    public FrameEncoder(FrameCodec codec) {
        super(RpcFrame.class);
        this.codec = codec;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, RpcFrame frame, ByteBuf out) {
        codec.encode(ConnectionProtoNaming.apply(ctx.channel(), frame), out);
    }
}
