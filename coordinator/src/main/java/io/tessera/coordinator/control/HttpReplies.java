package io.tessera.coordinator.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes HTTP answers; honours keep-alive because Seata's registry client pools connections. */
public final class HttpReplies {
    private HttpReplies() {
    }

    static void json(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, ObjectMapper mapper,
            Object body) {
        write(ctx, keepAlive, jsonResponse(status, mapper, body));
    }

    private static FullHttpResponse jsonResponse(HttpResponseStatus status, ObjectMapper mapper, Object body) {
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(bytes));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        return response;
    }

    /**
     * Seata's result envelope ({@code code}, {@code message}, {@code data} when not null, {@code success}),
     * which Seata's clients read instead of the HTTP status. {@code code} is the HTTP-like code as text.
     */
    static void result(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, ObjectMapper mapper,
            String code, String message, Object data) {
        json(ctx, keepAlive, status, mapper, envelope(code, message, data));
    }

    static Map<String, Object> envelope(String code, String message, Object data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        if (data != null) {
            body.put("data", data);
        }
        body.put("success", "200".equals(code));
        return body;
    }

    /** {@link #json} with a Retry-After header (whole seconds, at least 1). */
    static void jsonRetryAfter(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status,
            ObjectMapper mapper, Object body, long retryAfterMillis) {
        FullHttpResponse response = jsonResponse(status, mapper, body);
        response.headers().set(HttpHeaderNames.RETRY_AFTER, Math.max(1, (retryAfterMillis + 999) / 1000));
        write(ctx, keepAlive, response);
    }

    static void empty(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status) {
        write(ctx, keepAlive, new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER));
    }

    /** Sets the length, nosniff and the connection header, then writes (and closes unless keep-alive). */
    public static void write(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse response) {
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        // Answers carry client strings (transaction names, keys): a browser must never sniff them as HTML.
        response.headers().set("X-Content-Type-Options", "nosniff");
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
