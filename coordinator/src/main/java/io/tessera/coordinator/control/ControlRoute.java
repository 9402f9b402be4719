package io.tessera.coordinator.control;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * One endpoint of the control port. Runs on the channel's event loop: must not block (hand slow work to
 * another thread and answer through {@code ctx.executor()}). Every route answers exactly once.
 */
public interface ControlRoute {
    /** @param caller who sent the request: the verified token's role and user, or anonymous on open routes */
    void handle(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive, Caller caller);
}
