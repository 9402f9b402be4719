package io.tessera.coordinator.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.tessera.coordinator.control.Caller;
import io.tessera.coordinator.control.ControlRoute;
import io.tessera.raft.tx.TxView;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code GET /admin/v1/state-digest} (admin role): this replica's applied index and the SHA-256 of its whole
 * transaction state (TxView.digest), so an operator, or a test, can see that replicas which applied the
 * same entries hold the same state (after a membership change, a snapshot install, a restore). The scan
 * runs off the event loop, one at a time (another request meanwhile is answered 503).
 */
public final class StateDigestRoute implements ControlRoute {
    public static final String PATH = "/admin/v1/state-digest";

    private final TxView view;
    private final String nodeId;
    private final Executor executor;
    private final AtomicBoolean running = new AtomicBoolean();
    private final ObjectMapper mapper = new ObjectMapper();

    public StateDigestRoute(TxView view, String nodeId, Executor executor) {
        this.view = view;
        this.nodeId = nodeId;
        this.executor = executor;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive, Caller caller) {
        if (!running.compareAndSet(false, true)) {
            reply(ctx, keepAlive, HttpResponseStatus.SERVICE_UNAVAILABLE, Map.of("message", "a digest is being computed"));
            return;
        }
        CompletableFuture<Map<String, Object>> digest;
        try {
            digest = CompletableFuture.supplyAsync(() -> {
                // Index and digest from one snapshot: a digest names its index even while entries arrive.
                TxView.IndexedDigest d = view.indexedDigest();
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("nodeId", nodeId);
                body.put("appliedIndex", d.appliedIndex());
                body.put("digest", d.digest());
                return body;
            }, executor);
        } catch (RejectedExecutionException e) {
            running.set(false);
            reply(ctx, keepAlive, HttpResponseStatus.SERVICE_UNAVAILABLE, Map.of("message", "stopping"));
            return;
        }
        digest.whenComplete((body, failure) -> {
            running.set(false);
            ctx.executor().execute(() -> {
                if (failure != null) {
                    reply(ctx, keepAlive, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                            Map.of("message", String.valueOf(failure.getMessage())));
                } else {
                    reply(ctx, keepAlive, HttpResponseStatus.OK, body);
                }
            });
        });
    }

    private void reply(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, Map<String, Object> body) {
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(body);
        } catch (IOException e) {
            bytes = new byte[0];
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        HttpUtil.setContentLength(r, bytes.length);
        HttpUtil.setKeepAlive(r, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(r);
        } else {
            ctx.writeAndFlush(r).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
        }
    }
}
