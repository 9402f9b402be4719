package io.tessera.coordinator.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tessera.codec.text.ClientText;
import io.tessera.raft.tx.ControlRole;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code PUT /admin/v1/auth/credentials} (admin), JSON {@code {"role":"client"|"admin","username":…,
 * "password":…}}: new credentials for a role on every node at once, without a restart. This node checks
 * the policy (400 with the reason), draws a salt and computes the PBKDF2 hash on the auth worker, and
 * proposes SetCredentials; the password itself never leaves this node. Tokens already issued stay valid
 * until they expire; rotating the key ends them at once.
 */
final class CredentialsRoute implements ControlRoute {
    static final String PATH = "/admin/v1/auth/credentials";
    private static final Logger LOG = LoggerFactory.getLogger(CredentialsRoute.class);

    private final AuthState state;
    private final Authenticator authenticator;
    private final Executor worker;
    private final String nodeId;
    private final ObjectMapper mapper;
    private final SecureRandom random = new SecureRandom();

    CredentialsRoute(AuthState state, Authenticator authenticator, Executor worker, String nodeId, ObjectMapper mapper) {
        this.state = state;
        this.authenticator = authenticator;
        this.worker = worker;
        this.nodeId = nodeId;
        this.mapper = mapper;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive, Caller caller) {
        JsonNode body;
        try {
            body = mapper.readTree(new ByteBufInputStream(request.content().duplicate()));
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            badRequest(ctx, keepAlive, "body must be JSON {\"role\":\"client|admin\",\"username\":…,\"password\":…}");
            return;
        }
        Optional<ControlRole> role = ControlRole.ofWireName(body.path("role").asText(""));
        if (role.isEmpty()) {
            badRequest(ctx, keepAlive, "role must be \"client\" or \"admin\"");
            return;
        }
        String username = body.hasNonNull("username") ? body.get("username").asText() : null;
        String password = body.hasNonNull("password") ? body.get("password").asText() : null;
        ControlRole other = role.get() == ControlRole.CLIENT ? ControlRole.ADMIN : ControlRole.CLIENT;
        Optional<String> problem = CredentialsPolicy.problem(role.get(), username, password,
                authenticator.username(other));
        if (problem.isPresent()) {
            badRequest(ctx, keepAlive, problem.get());
            return;
        }
        String requestedBy = caller.describe() + " via " + nodeId;
        LOG.info("{} credentials change to user '{}' requested by {}", role.get().wireName(), ClientText.of(username),
                requestedBy);
        CompletableFuture<PasswordHash> hashed;
        try {
            hashed = CompletableFuture.supplyAsync(() -> PasswordHash.create(password, random), worker);
        } catch (RejectedExecutionException busy) {
            HttpReplies.result(ctx, keepAlive, HttpResponseStatus.SERVICE_UNAVAILABLE, mapper, "503",
                    "busy: retry in a moment", null);
            return;
        }
        hashed.thenCompose(hash -> state.setCredentials(role.get(), username, hash, requestedBy))
                .whenComplete((v, failure) -> ctx.executor().execute(() -> {
                    if (failure != null) {
                        AuthChangeReplies.failed(ctx, keepAlive, mapper, "credentials change", failure);
                        return;
                    }
                    HttpReplies.result(ctx, keepAlive, HttpResponseStatus.OK, mapper, "200", role.get().wireName()
                            + " credentials set for user '" + username + "' on every node; tokens issued before stay "
                            + "valid until they expire (rotate the token key to end them now)",
                            Map.of("role", role.get().wireName(), "username", username));
                }));
    }

    private void badRequest(ChannelHandlerContext ctx, boolean keepAlive, String message) {
        HttpReplies.result(ctx, keepAlive, HttpResponseStatus.BAD_REQUEST, mapper, "400", message, null);
    }
}
