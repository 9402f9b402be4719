package io.tessera.coordinator.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tessera.coordinator.cluster.ClusterMember;
import io.tessera.coordinator.cluster.ClusterView;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** {@code GET /health}: this node's view of the group plus node-local counters. Always 200. */
final class HealthRoute implements ControlRoute {
    private final ClusterView view;
    private final Supplier<Map<String, Object>> localStats;
    private final ObjectMapper mapper;

    HealthRoute(ClusterView view, Supplier<Map<String, Object>> localStats, ObjectMapper mapper) {
        this.view = view;
        this.localStats = localStats;
        this.mapper = mapper;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("nodeId", view.nodeId());
        answer.put("group", view.group());
        answer.put("role", view.role().name());
        answer.put("term", view.term());
        answer.put("leader", view.leaderNodeId().orElse(null));
        answer.put("lastAppliedIndex", view.lastAppliedIndex());
        answer.putAll(localStats.get());
        answer.put("members", view.members().stream().map(HealthRoute::member).toList());
        HttpReplies.json(ctx, keepAlive, HttpResponseStatus.OK, mapper, answer);
    }

    private static Map<String, Object> member(ClusterMember m) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("nodeId", m.nodeId());
        map.put("role", m.role().name());
        map.put("control", m.control().toString());
        map.put("transaction", m.transaction().toString());
        map.put("internal", m.internal().toString());
        return map;
    }
}
