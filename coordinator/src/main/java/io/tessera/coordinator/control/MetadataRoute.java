package io.tessera.coordinator.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tessera.coordinator.cluster.ClusterMember;
import io.tessera.coordinator.cluster.ClusterView;
import io.tessera.coordinator.config.Endpoint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /metadata/v1/cluster?group=}: Seata's MetadataResponse. Until a leader is known (and for a
 * group that is not ours) the node list is EMPTY, never null: Seata's client fails on a null list,
 * while an empty one just means "no TC yet" and the client asks again on its next refresh or watch
 * wake-up.
 *
 * <p>Only the fields every raft-registry client release can bind are sent. Each release parses this
 * answer with a default Jackson mapper, which fails on any field its classes lack, and the request does
 * not say which release asks. io.seata 2.0.0's Node has no {@code internal} and no {@code version}, so
 * neither is sent (no release's client reads them); no endpoint {@code protocol}, no {@code weight},
 * and roles only from LEADER, FOLLOWER, LEARNER, MEMBER. The compat-matrix module parses this route's
 * real answer with every release's own classes.
 */
final class MetadataRoute implements ControlRoute {
    private final ClusterView view;
    private final ObjectMapper mapper;

    MetadataRoute(ClusterView view, ObjectMapper mapper) {
        this.view = view;
        this.mapper = mapper;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive, Caller caller) {
        String group = HttpParams.of(request).get("group");
        boolean ours = group == null || group.isEmpty() || group.equals(view.group());
        // Read term before members: a concurrent election then shows a term no newer than the roles.
        long term = view.term();
        List<Map<String, Object>> nodes = ours && view.leaderNodeId().isPresent()
                ? view.members().stream().map(this::node).toList()
                : List.of();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("nodes", nodes);
        answer.put("storeMode", "raft");
        answer.put("term", term);
        HttpReplies.json(ctx, keepAlive, HttpResponseStatus.OK, mapper, answer);
    }

    private Map<String, Object> node(ClusterMember member) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("control", endpoint(member.control()));
        node.put("transaction", endpoint(member.transaction()));
        node.put("group", view.group());
        node.put("role", member.role().metadataName());
        node.put("metadata", Map.of());
        return node;
    }

    private static Map<String, Object> endpoint(Endpoint endpoint) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("host", endpoint.host());
        map.put("port", endpoint.port());
        return map;
    }
}
