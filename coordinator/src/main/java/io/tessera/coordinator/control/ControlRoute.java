package io.tessera.coordinator.control;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/** One endpoint of the control port. Runs on the channel's event loop: must not block. */
public interface ControlRoute {
    void handle(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive);
}
