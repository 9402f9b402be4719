package io.tessera.coordinator.control;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import io.tessera.codec.text.LogBudget;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Time bounds of one control connection, two handlers sharing one state (all on the channel's event loop):
 *
 * <ul>
 *   <li>{@link #bytes()} sits before the HTTP codec: the first byte of a request starts the request
 *       deadline ({@code requestTimeoutMs}); if the whole request (headers and body) has not arrived by
 *       then, the connection is closed. This is what defeats half-sent requests and slowloris clients:
 *       more bytes do not extend the deadline.</li>
 *   <li>{@link #messages()} sits after the aggregator: a complete request stops the deadline and counts as
 *       in progress until its response has been written (a held {@code /metadata/v1/watch} is in progress
 *       for as long as it is held, so no bound here cuts it; WatchRoute ends it within its own maximum).
 *       With nothing in progress and nothing arriving, the connection is closed after
 *       {@code idleTimeoutMs}.</li>
 * </ul>
 *
 * A pipelined request whose first bytes arrived with the previous one is bounded by the idle timeout.
 */
final class RequestDeadlines {
    private static final Logger LOG = LoggerFactory.getLogger(RequestDeadlines.class);

    private final long requestTimeoutMs;
    private final long idleTimeoutMs;
    private final LogBudget logBudget;
    private boolean receiving;
    private int inProgress;
    private ScheduledFuture<?> requestTimer;
    private ScheduledFuture<?> idleTimer;

    /** @param logBudget shared by every connection: a slow-client flood costs a bounded number of lines */
    RequestDeadlines(long requestTimeoutMs, long idleTimeoutMs, LogBudget logBudget) {
        this.requestTimeoutMs = requestTimeoutMs;
        this.idleTimeoutMs = idleTimeoutMs;
        this.logBudget = logBudget;
    }

    ChannelInboundHandlerAdapter bytes() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) throws Exception {
                startIdle(ctx);
                super.channelActive(ctx);
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                if (!receiving && msg instanceof ByteBuf b && b.isReadable()) {
                    receiving = true;
                    cancel(idleTimer);
                    requestTimer = ctx.executor().schedule(() -> requestTooSlow(ctx), requestTimeoutMs,
                            TimeUnit.MILLISECONDS);
                }
                super.channelRead(ctx, msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) throws Exception {
                cancel(requestTimer);
                cancel(idleTimer);
                super.channelInactive(ctx);
            }
        };
    }

    ChannelDuplexHandler messages() {
        return new ChannelDuplexHandler() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                if (msg instanceof FullHttpRequest) {
                    receiving = false;
                    cancel(requestTimer);
                    inProgress++;
                }
                super.channelRead(ctx, msg);
            }

            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
                if (msg instanceof LastHttpContent) {
                    // Idle starts when the response has left, not when it was queued: a slow reader of a large
                    // answer (a backup archive) is still being served.
                    ChannelPromise p = promise.unvoid();
                    p.addListener(f -> responseDone(ctx));
                    super.write(ctx, msg, p);
                    return;
                }
                super.write(ctx, msg, promise);
            }
        };
    }

    private void responseDone(ChannelHandlerContext ctx) {
        inProgress = Math.max(0, inProgress - 1);
        if (inProgress == 0 && !receiving && ctx.channel().isActive()) {
            startIdle(ctx);
        }
    }

    private void startIdle(ChannelHandlerContext ctx) {
        cancel(idleTimer);
        idleTimer = ctx.executor().schedule(() -> {
            if (inProgress == 0 && !receiving) {
                LOG.debug("control connection {} idle for {} ms, closing", ctx.channel().remoteAddress(), idleTimeoutMs);
                ctx.close();
            }
        }, idleTimeoutMs, TimeUnit.MILLISECONDS);
    }

    private void requestTooSlow(ChannelHandlerContext ctx) {
        if (!receiving) {
            return;
        }
        if (logBudget.tryLog()) {
            long suppressed = logBudget.takeSuppressed();
            LOG.warn("control connection {} closed: request not complete {} ms after its first byte "
                    + "(control.request-timeout-ms){}", ctx.channel().remoteAddress(), requestTimeoutMs,
                    suppressed > 0 ? " (" + suppressed + " similar lines suppressed)" : "");
        }
        ctx.close();
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
