package io.tessera.coordinator.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tessera.codec.text.ClientText;
import io.tessera.codec.text.LogBudget;
import io.tessera.raft.tx.ControlRole;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/auth/login}, open (it is how a token is obtained), for both roles: the user name
 * decides the role. Seata's raft registry client reads the {@code code} field, not the HTTP status, so a
 * wrong password is HTTP 200 with code "401", the shape Seata's own server answers. Answers that are not
 * about the password carry their own HTTP status as well: 429 while the source is throttled (the password
 * is not even checked), 503 before the cluster has a token key.
 *
 * <p>The check may cost a PBKDF2 hash, so it runs on the auth worker; the answer is written back on the
 * channel's event loop.
 */
final class LoginRoute implements ControlRoute {
    private static final Logger LOG = LoggerFactory.getLogger(LoginRoute.class);

    private final Authenticator authenticator;
    private final TokenAuthority authority;
    private final LoginThrottle throttle;
    private final Executor worker;
    private final ObjectMapper mapper;
    // Every source logs at most one line per backoff step; this bounds many sources together.
    private final LogBudget logBudget = new LogBudget(20, 1_000_000_000L, System::nanoTime);

    LoginRoute(Authenticator authenticator, TokenAuthority authority, LoginThrottle throttle, Executor worker,
            ObjectMapper mapper) {
        this.authenticator = authenticator;
        this.authority = authority;
        this.throttle = throttle;
        this.worker = worker;
        this.mapper = mapper;
    }

    private record Login(String username, String password) {
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive, Caller caller) {
        if (!authority.ready()) {
            HttpReplies.jsonRetryAfter(ctx, keepAlive, HttpResponseStatus.SERVICE_UNAVAILABLE, mapper,
                    HttpReplies.envelope("503", "not ready: the cluster has no token key yet (its first leader "
                            + "creates one when elected); retry in a moment", null), 1_000);
            return;
        }
        String source = caller.source();
        LoginThrottle.Decision decision = throttle.tryAcquire(source);
        if (!decision.allowed()) {
            long seconds = Math.max(1, (decision.retryAfterMillis() + 999) / 1000);
            HttpReplies.jsonRetryAfter(ctx, keepAlive, HttpResponseStatus.TOO_MANY_REQUESTS, mapper,
                    HttpReplies.envelope("429", "too many failed logins from " + source + "; retry in " + seconds
                            + " s", null), decision.retryAfterMillis());
            return;
        }
        Login login = parse(request);
        try {
            worker.execute(() -> {
                Optional<ControlRole> role;
                try {
                    role = authenticator.authenticate(login.username(), login.password());
                } catch (RuntimeException e) {
                    LOG.warn("control login check failed: {}", e.toString());
                    ctx.executor().execute(() -> {
                        throttle.abandoned(source);
                        HttpReplies.result(ctx, false, HttpResponseStatus.INTERNAL_SERVER_ERROR, mapper, "500",
                                "login check failed", null);
                    });
                    return;
                }
                ctx.executor().execute(() -> answer(ctx, keepAlive, source, login, role));
            });
        } catch (RejectedExecutionException busy) {
            throttle.abandoned(source);
            HttpReplies.jsonRetryAfter(ctx, keepAlive, HttpResponseStatus.SERVICE_UNAVAILABLE, mapper,
                    HttpReplies.envelope("503", "busy: too many logins in progress; retry in a moment", null), 1_000);
        }
    }

    private void answer(ChannelHandlerContext ctx, boolean keepAlive, String source, Login login,
            Optional<ControlRole> role) {
        if (role.isEmpty()) {
            LoginThrottle.Failure f = throttle.failed(source);
            logRefusal(login.username(), source, f);
            HttpReplies.result(ctx, keepAlive, HttpResponseStatus.OK, mapper, "401", "Login failed", null);
            return;
        }
        throttle.succeeded(source);
        Optional<String> token = authority.issue(role.get(), login.username());
        if (token.isEmpty()) {
            HttpReplies.result(ctx, keepAlive, HttpResponseStatus.SERVICE_UNAVAILABLE, mapper, "503",
                    "not ready: no token key", null);
            return;
        }
        LOG.debug("control login of {} user '{}' from {}", role.get().wireName(), ClientText.of(login.username()), source);
        HttpReplies.result(ctx, keepAlive, HttpResponseStatus.OK, mapper, "200", "success", token.get());
    }

    private void logRefusal(String username, String source, LoginThrottle.Failure f) {
        if (!logBudget.tryLog()) {
            return;
        }
        long suppressed = logBudget.takeSuppressed();
        LOG.warn("control login refused for user '{}' from {} ({} failed in a row{}){}{}", ClientText.of(username),
                source, f.failures(),
                f.refusedUnchecked() > 0 ? ", " + f.refusedUnchecked() + " more refused unchecked while waiting" : "",
                f.waitMillis() > 0 ? "; further attempts from " + source + " wait " + (f.waitMillis() / 1000.0) + " s"
                        : "",
                suppressed > 0 ? " (" + suppressed + " similar lines suppressed)" : "");
    }

    private Login parse(FullHttpRequest request) {
        if (!request.content().isReadable()) {
            return new Login(null, null);
        }
        try {
            JsonNode body = mapper.readTree(new ByteBufInputStream(request.content().duplicate()));
            return new Login(text(body, "username"), text(body, "password"));
        } catch (IOException e) {
            Map<String, String> form = HttpParams.of(request);
            return new Login(form.get("username"), form.get("password"));
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body == null ? null : body.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }
}
