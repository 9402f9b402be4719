package io.tessera.coordinator.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tessera.codec.text.ClientText;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/auth/login}. Seata's client reads the {@code code} field, not the HTTP status,
 * so a refusal is HTTP 200 with code "401" (the shape Seata's own server answers).
 */
final class LoginRoute implements ControlRoute {
    private static final Logger LOG = LoggerFactory.getLogger(LoginRoute.class);

    private final TokenAuthority authority;
    private final ObjectMapper mapper;

    LoginRoute(TokenAuthority authority, ObjectMapper mapper) {
        this.authority = authority;
        this.mapper = mapper;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive) {
        String username = null;
        String password = null;
        if (request.content().isReadable()) {
            try {
                JsonNode body = mapper.readTree(new ByteBufInputStream(request.content().duplicate()));
                username = text(body, "username");
                password = text(body, "password");
            } catch (IOException e) {
                Map<String, String> form = HttpParams.of(request);
                username = form.get("username");
                password = form.get("password");
            }
        }
        Optional<String> token = authority.login(username, password);
        Map<String, Object> answer = new LinkedHashMap<>();
        if (token.isPresent()) {
            answer.put("code", "200");
            answer.put("message", "success");
            answer.put("data", token.get());
            answer.put("success", true);
        } else {
            LOG.warn("registry login refused for user '{}' from {}", ClientText.of(username), ctx.channel().remoteAddress());
            answer.put("code", "401");
            answer.put("message", "Login failed");
            answer.put("success", false);
        }
        HttpReplies.json(ctx, keepAlive, HttpResponseStatus.OK, mapper, answer);
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body == null ? null : body.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }
}
