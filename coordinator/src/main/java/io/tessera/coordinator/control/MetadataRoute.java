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
 * {@code GET /metadata/v1/cluster?group=}: Seata's MetadataResponse, field for field. Until a leader is
 * known (and for a group that is not ours) the node list is EMPTY, never null: Seata's client fails on
 * a null list, while an empty one just means "no TC yet" and the client asks again on its next refresh
 * or watch wake-up.
 */
final class MetadataRoute implements ControlRoute {
    private final ClusterView view;
    private final String seataVersion;
    private final ObjectMapper mapper;

    MetadataRoute(ClusterView view, String seataVersion, ObjectMapper mapper) {
        this.view = view;
        this.seataVersion = seataVersion;
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
        node.put("internal", endpoint(member.internal()));
        node.put("group", view.group());
        node.put("role", member.role().metadataName());
        node.put("version", seataVersion);
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
