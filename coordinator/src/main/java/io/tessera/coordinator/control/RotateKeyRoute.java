package io.tessera.coordinator.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /admin/v1/auth/rotate-token-key} (admin): replaces the cluster's token key by a new random
 * one. Every token issued before, the caller's own included, is refused from then on, on every node as
 * soon as it has applied the entry. Seata clients get a 401 on their next call and log in again.
 */
final class RotateKeyRoute implements ControlRoute {
    static final String PATH = "/admin/v1/auth/rotate-token-key";
    private static final Logger LOG = LoggerFactory.getLogger(RotateKeyRoute.class);

    private final AuthState state;
    private final String nodeId;
    private final ObjectMapper mapper;

    RotateKeyRoute(AuthState state, String nodeId, ObjectMapper mapper) {
        this.state = state;
        this.nodeId = nodeId;
        this.mapper = mapper;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive, Caller caller) {
        String requestedBy = caller.describe() + " via " + nodeId;
        LOG.info("token key rotation requested by {}", requestedBy);
        state.rotateTokenKey(requestedBy).whenComplete((generation, failure) -> ctx.executor().execute(() -> {
            if (failure != null) {
                AuthChangeReplies.failed(ctx, keepAlive, mapper, "key rotation", failure);
                return;
            }
            HttpReplies.result(ctx, keepAlive, HttpResponseStatus.OK, mapper, "200", "token key generation "
                    + generation + " is current; every token issued before (yours too) is refused from now on",
                    Map.of("generation", generation));
        }));
    }
}
