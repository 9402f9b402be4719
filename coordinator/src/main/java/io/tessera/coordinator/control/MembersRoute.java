package io.tessera.coordinator.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tessera.codec.text.ClientText;
import io.tessera.raft.tx.ControlRole;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The membership admin API (admin role), on every node (a follower has the leader execute it):
 *
 * <ul>
 *   <li>{@code GET /admin/v1/members}: the members (configuration joined with the member directory)</li>
 *   <li>{@code POST /admin/v1/members/add} {@code {"member":"id@host:control:transaction:raft","timeoutMs":…}}</li>
 *   <li>{@code POST /admin/v1/members/remove} {@code {"member":"id"}}</li>
 *   <li>{@code POST /admin/v1/members/replace} {@code {"old":"id","member":"id@host:…"}}</li>
 *   <li>{@code POST /admin/v1/members/transfer-leader} {@code {"member":"id"}} (no member: the voter
 *       furthest ahead)</li>
 *   <li>{@code POST /metadata/v1/changeCluster?raftClusterStr=host:port,…} (Seata's route and parameter:
 *       the raft endpoints of the wanted voters)</li>
 * </ul>
 *
 * Answers use Seata's envelope ({@code code}, {@code message}, {@code data}, {@code success}) with the
 * matching HTTP status. A change answers once it is done (an add after the new member caught up), within
 * its {@code timeoutMs}.
 */
final class MembersRoute implements ControlRoute {
    static final String PATH = "/admin/v1/members";
    static final String CHANGE_CLUSTER_PATH = "/metadata/v1/changeCluster";
    private static final Logger LOG = LoggerFactory.getLogger(MembersRoute.class);

    private final MemberAdmin admin;
    private final MemberOp.Kind kind;
    private final String nodeId;
    private final ObjectMapper mapper;

    private MembersRoute(MemberAdmin admin, MemberOp.Kind kind, String nodeId, ObjectMapper mapper) {
        this.admin = admin;
        this.kind = kind;
        this.nodeId = nodeId;
        this.mapper = mapper;
    }

    /** Registers every membership route on {@code server} (before it starts). */
    static void register(ControlServer server, MemberAdmin admin, String nodeId) {
        ObjectMapper mapper = new ObjectMapper();
        server.addRoute(HttpMethod.GET, PATH, ControlRole.ADMIN, new MembersRoute(admin, MemberOp.Kind.LIST, nodeId, mapper));
        server.addRoute(HttpMethod.POST, PATH + "/add", ControlRole.ADMIN,
                new MembersRoute(admin, MemberOp.Kind.ADD, nodeId, mapper));
        server.addRoute(HttpMethod.POST, PATH + "/remove", ControlRole.ADMIN,
                new MembersRoute(admin, MemberOp.Kind.REMOVE, nodeId, mapper));
        server.addRoute(HttpMethod.POST, PATH + "/replace", ControlRole.ADMIN,
                new MembersRoute(admin, MemberOp.Kind.REPLACE, nodeId, mapper));
        server.addRoute(HttpMethod.POST, PATH + "/transfer-leader", ControlRole.ADMIN,
                new MembersRoute(admin, MemberOp.Kind.TRANSFER_LEADER, nodeId, mapper));
        server.addRoute(HttpMethod.POST, CHANGE_CLUSTER_PATH, ControlRole.ADMIN,
                new MembersRoute(admin, MemberOp.Kind.CHANGE_CLUSTER, nodeId, mapper));
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive, Caller caller) {
        String requestedBy = caller.describe() + " via " + nodeId;
        MemberOp op;
        try {
            op = parse(request, requestedBy);
        } catch (IllegalArgumentException e) {
            HttpReplies.result(ctx, keepAlive, HttpResponseStatus.BAD_REQUEST, mapper, "400", e.getMessage(), null);
            return;
        }
        if (kind != MemberOp.Kind.LIST) {
            LOG.info("membership change {} requested by {}", ClientText.of(describe(op)), ClientText.of(requestedBy));
        }
        admin.execute(op).whenComplete((answer, failure) -> ctx.executor().execute(() -> {
            MemberAdmin.Answer a = failure == null ? answer
                    : MemberAdmin.Answer.error(503, "not confirmed: " + failure.getMessage());
            HttpReplies.result(ctx, keepAlive, HttpResponseStatus.valueOf(a.status()), mapper,
                    String.valueOf(a.status()), a.message(), a.data());
        }));
    }

    private MemberOp parse(FullHttpRequest request, String requestedBy) {
        if (kind == MemberOp.Kind.LIST) {
            return MemberOp.of(kind, requestedBy);
        }
        if (kind == MemberOp.Kind.CHANGE_CLUSTER) {
            // Seata: @RequestParam String raftClusterStr, jraft Configuration syntax "ip:port[:idx[:priority]],…".
            String conf = HttpParams.of(request).get("raftClusterStr");
            if (conf == null || conf.isBlank()) {
                throw new IllegalArgumentException("raftClusterStr is required: the raft endpoints host:port of the "
                        + "wanted voters, comma separated");
            }
            List<String> endpoints = Arrays.stream(conf.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .toList();
            long timeout = parseLong(HttpParams.of(request).get("timeoutMs"));
            return new MemberOp(kind, "", "", endpoints, timeout, requestedBy);
        }
        JsonNode body;
        try {
            body = request.content().isReadable()
                    ? mapper.readTree(new ByteBufInputStream(request.content().duplicate())) : mapper.createObjectNode();
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("body must be a JSON object, e.g. {\"member\":\"node4@10.0.0.4:7091:8091:9091\"}");
        }
        String member = body.path("member").asText("").trim();
        String old = body.path("old").asText("").trim();
        long timeout = body.path("timeoutMs").asLong(0);
        if ((kind == MemberOp.Kind.ADD || kind == MemberOp.Kind.REMOVE || kind == MemberOp.Kind.REPLACE)
                && member.isEmpty()) {
            throw new IllegalArgumentException("\"member\" is required");
        }
        if (kind == MemberOp.Kind.REPLACE && old.isEmpty()) {
            throw new IllegalArgumentException("\"old\" is required: the member to replace");
        }
        return new MemberOp(kind, member, old, List.of(), timeout, requestedBy);
    }

    private static long parseLong(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("timeoutMs must be a number of milliseconds");
        }
    }

    private static String describe(MemberOp op) {
        return switch (op.kind()) {
            case ADD -> "add " + op.member();
            case REMOVE -> "remove " + op.member();
            case REPLACE -> "replace " + op.old() + " by " + op.member();
            case TRANSFER_LEADER -> "transfer leadership to " + (op.member().isEmpty() ? "the voter furthest ahead"
                    : op.member());
            case CHANGE_CLUSTER -> "change the voters to " + op.raftEndpoints();
            default -> op.kind().toString();
        };
    }
}
