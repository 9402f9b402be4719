package io.tessera.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Writes {@link RpcFrame}s as protocol-v1 frames (see {@link FrameDecoder} for the layout). */
public final class FrameEncoder extends MessageToByteEncoder<RpcFrame> {
    private final FrameCodec codec;

    public FrameEncoder(FrameCodec codec) {
        super(RpcFrame.class);
        this.codec = codec;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, RpcFrame frame, ByteBuf out) {
        codec.encode(frame, out);
    }
}
