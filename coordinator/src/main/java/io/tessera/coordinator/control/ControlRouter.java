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
import io.tessera.codec.text.LogBudget;
import io.tessera.raft.tx.ControlRole;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the route by method and path and enforces the role each route declared: no token, an invalid,
 * expired or revoked one → 401; a valid token of a role that does not cover the route → 403 (an admin
 * token covers client routes). Only {@code /health*} and the login are open, on purpose: load balancers
 * probe health without credentials (Seata's own {@code /health} is open too), and login is how a token
 * is obtained. The web console's static assets ({@code /} and {@code /ui/*}) are public too: they are the
 * same files in every build and hold no data (a browser cannot send a token before it has the login page);
 * every call they make for data needs the admin token. Registration refuses any other route without a role.
 */
@ChannelHandler.Sharable
final class ControlRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final String LOGIN_PATH = "/api/v1/auth/login";
    static final String ASSET_ROOT = "/";
    static final String ASSET_PREFIX = "/ui/";
    private static final Logger LOG = LoggerFactory.getLogger(ControlRouter.class);

    private record Key(HttpMethod method, String path) {
    }

    /** {@code role} empty = open; {@code alternative}: a credential accepted instead of a role's token. */
    private record Entry(Optional<ControlRole> role, ControlRoute route, Optional<ScrapeCredential> alternative) {
        Entry(Optional<ControlRole> role, ControlRoute route) {
            this(role, route, Optional.empty());
        }
    }

    // Filled before start; lookups stay lock-free.
    private final Map<Key, Entry> routes = new ConcurrentHashMap<>();
    private final TokenAuthority authority;
    private final ObjectMapper mapper;
    /**
     * Failed connections are the peer's doing (resets, malformed HTTP): 100 lines at once, then 10 per
     * second for the whole port, so a flood of them cannot rotate the node's log history away.
     */
    private final LogBudget failureLines = new LogBudget(100, 100_000_000L, System::nanoTime);

    ControlRouter(TokenAuthority authority, ObjectMapper mapper) {
        this.authority = authority;
        this.mapper = mapper;
    }

    /** A route anyone may call: only health probes and the login. */
    void open(HttpMethod method, String path, ControlRoute route) {
        if (!path.equals(LOGIN_PATH) && !path.equals("/health") && !path.startsWith("/health/")) {
            throw new IllegalArgumentException("only /health* and " + LOGIN_PATH + " may be open; " + path
                    + " must declare a role");
        }
        put(method, path, new Entry(Optional.empty(), route));
    }

    /** A public static asset of the web console: only {@code /} and {@code /ui/*}, GET, no data. */
    void asset(String path, ControlRoute route) {
        if (!path.equals(ASSET_ROOT) && !path.startsWith(ASSET_PREFIX)) {
            throw new IllegalArgumentException("only " + ASSET_ROOT + " and " + ASSET_PREFIX + "* may be public assets; "
                    + path + " must declare a role");
        }
        put(HttpMethod.GET, path, new Entry(Optional.empty(), route));
    }

    /** A route for tokens whose role covers {@code role}. */
    void add(HttpMethod method, String path, ControlRole role, ControlRoute route) {
        put(method, path, new Entry(Optional.of(role), route));
    }

    /**
     * A route for tokens whose role covers {@code role}, or for requests carrying {@code alternative} (a
     * static secret for a scraper that cannot log in, e.g. Prometheus).
     */
    void add(HttpMethod method, String path, ControlRole role, ScrapeCredential alternative, ControlRoute route) {
        put(method, path, new Entry(Optional.of(role), route, Optional.of(alternative)));
    }

    private void put(HttpMethod method, String path, Entry entry) {
        if (routes.putIfAbsent(new Key(method, path), entry) != null) {
            throw new IllegalArgumentException(method + " " + path + " is already registered");
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            HttpReplies.empty(ctx, false, HttpResponseStatus.BAD_REQUEST);
            return;
        }
        Optional<String> malformed = HttpParams.malformed(request);
        if (malformed.isPresent()) {
            // Before any route decodes the URI or a form body: a bad %-escape is the client's mistake (400),
            // not a failed connection closed without an answer.
            HttpReplies.result(ctx, keepAlive, HttpResponseStatus.BAD_REQUEST, mapper, "400", malformed.get(), null);
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        Entry entry = routes.get(new Key(request.method(), path));
        if (entry == null) {
            boolean pathKnown = routes.keySet().stream().anyMatch(k -> k.path().equals(path));
            HttpReplies.empty(ctx, keepAlive,
                    pathKnown ? HttpResponseStatus.METHOD_NOT_ALLOWED : HttpResponseStatus.NOT_FOUND);
            return;
        }
        if (entry.role().isEmpty()) {
            entry.route().handle(ctx, request, keepAlive, Caller.anonymous(ctx.channel()));
            return;
        }
        ControlRole required = entry.role().get();
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (entry.alternative().isPresent() && entry.alternative().get().accepts(authorization)) {
            entry.route().handle(ctx, request, keepAlive, Caller.anonymous(ctx.channel()));
            return;
        }
        TokenAuthority.Verdict verdict = authority.verify(request.headers().get(HttpHeaderNames.AUTHORIZATION));
        if (!verdict.valid()) {
            HttpReplies.result(ctx, keepAlive, HttpResponseStatus.UNAUTHORIZED, mapper, "401", verdict.reason(), null);
            return;
        }
        if (!verdict.role().covers(required)) {
            HttpReplies.result(ctx, keepAlive, HttpResponseStatus.FORBIDDEN, mapper, "403",
                    request.method() + " " + path + " needs the " + required.wireName() + " role; this token is "
                            + "for the " + verdict.role().wireName() + " role", null);
            return;
        }
        entry.route().handle(ctx, request, keepAlive, Caller.authenticated(ctx.channel(), verdict.role(),
                verdict.username()));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (failureLines.tryLog()) {
            long suppressed = failureLines.takeSuppressed();
            LOG.warn("control connection {} failed: {}{}", ctx.channel().remoteAddress(),
                    ClientText.of(cause.toString(), 400), suppressed == 0 ? "" : " (" + suppressed + " similar lines suppressed)");
        }
        ctx.close();
    }
}
