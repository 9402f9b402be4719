package io.tessera.raft.group;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import javax.net.ssl.SSLException;

/**
 * Sits right behind the SslHandler of one raft-port connection. A failed handshake closes the connection
 * and leaves one line in the {@link RefusalLog} (per peer address, not per attempt); the exception never
 * travels on to bolt's handlers, which would log it with a stack trace each time. Nothing reaches bolt's
 * decoder before the handshake succeeded (the SslHandler passes no application data before that).
 *
 * <p>With TLS 1.3 a client finishes its handshake before the server has checked the client's
 * certificate; a server that refuses it answers with an alert afterwards. That later TLS failure is
 * treated like a failed handshake too.
 */
final class HandshakeGuard extends ChannelInboundHandlerAdapter {
    private final RefusalLog refusals;
    private boolean established;

    HandshakeGuard(RefusalLog refusals) {
        this.refusals = refusals;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            if (done.isSuccess()) {
                established = true;
            } else {
                refusals.failed(ctx.channel().remoteAddress(), done.cause());
                ctx.close();
            }
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!established) {
            // The handshake's completion event carries the reason and is logged there.
            ctx.close();
            return;
        }
        if (isTls(cause)) {
            refusals.failed(ctx.channel().remoteAddress(), cause);
            ctx.close();
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    private static boolean isTls(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SSLException) {
                return true;
            }
        }
        return false;
    }
}
