package io.tessera.coordinator.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.tessera.codec.text.ClientText;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks the route by method and path and applies the bearer-token check to the metadata API. */
@ChannelHandler.Sharable
final class ControlRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(ControlRouter.class);

    private record Key(HttpMethod method, String path) {
    }

    private final Map<Key, ControlRoute> routes;
    private final TokenAuthority authority;
    private final ObjectMapper mapper;

    ControlRouter(ControlRoute health, ControlRoute login, ControlRoute metadata, ControlRoute watch,
            TokenAuthority authority, ObjectMapper mapper) {
        // Mutable only for addAuthorized (before start); lookups stay lock-free.
        this.routes = new ConcurrentHashMap<>(Map.of(
                new Key(HttpMethod.GET, "/health"), health,
                new Key(HttpMethod.POST, "/api/v1/auth/login"), login,
                new Key(HttpMethod.GET, "/metadata/v1/cluster"), authorized(metadata),
                new Key(HttpMethod.POST, "/metadata/v1/watch"), authorized(watch)));
        this.authority = authority;
        this.mapper = mapper;
    }

    /** Adds a route behind the same bearer-token check as the metadata API (e.g. admin routes). */
    void addAuthorized(HttpMethod method, String path, ControlRoute route) {
        routes.put(new Key(method, path), authorized(route));
    }

    private ControlRoute authorized(ControlRoute route) {
        return (ctx, request, keepAlive) -> {
            if (authority.authorized(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
                route.handle(ctx, request, keepAlive);
            } else {
                HttpReplies.json(ctx, keepAlive, HttpResponseStatus.UNAUTHORIZED, mapper,
                        Map.of("code", "401", "message", "Unauthorized", "success", false));
            }
        };
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            HttpReplies.empty(ctx, false, HttpResponseStatus.BAD_REQUEST);
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        ControlRoute route = routes.get(new Key(request.method(), path));
        if (route == null) {
            boolean pathKnown = routes.keySet().stream().anyMatch(k -> k.path().equals(path));
            HttpReplies.empty(ctx, keepAlive,
                    pathKnown ? HttpResponseStatus.METHOD_NOT_ALLOWED : HttpResponseStatus.NOT_FOUND);
            return;
        }
        route.handle(ctx, request, keepAlive);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.warn("control connection {} failed: {}", ctx.channel().remoteAddress(), ClientText.of(cause.toString(), 400));
        ctx.close();
    }
}
