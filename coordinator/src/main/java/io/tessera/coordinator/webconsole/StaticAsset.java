package io.tessera.coordinator.webconsole;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.tessera.coordinator.control.Caller;
import io.tessera.coordinator.control.ControlRoute;
import io.tessera.coordinator.control.HttpReplies;

/**
 * One file of the web console, held in memory and answered with the console's strict headers: a
 * Content-Security-Policy that allows only this origin's scripts, styles and images (no inline script or
 * style, no eval, no framing), nosniff, no referrer, and no caching without revalidation (an upgraded node
 * serves its own UI at once).
 */
final class StaticAsset implements ControlRoute {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final byte[] content;
    private final String contentType;

    StaticAsset(byte[] content, String contentType) {
        this.content = content.clone();
        this.contentType = contentType;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive, Caller caller) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(content));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .set(HttpHeaderNames.CONTENT_SECURITY_POLICY, CSP)
                .set(HttpHeaderNames.X_FRAME_OPTIONS, "DENY")
                .set("Referrer-Policy", "no-referrer")
                .set("Cross-Origin-Opener-Policy", "same-origin")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        HttpReplies.write(ctx, keepAlive, response);
    }
}
