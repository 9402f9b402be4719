package io.tessera.coordinator.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tessera.coordinator.cluster.ClusterMember;
import io.tessera.coordinator.cluster.ClusterView;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /health}, open (load balancers and scripts probe it without credentials, as Seata's own
 * /health): this node's view of the group plus node-local counters. 200 with {@code "status":"ok"} while
 * the replica works; 503 with {@code "status":"halted"} and the reason once it stopped applying entries
 * (e.g. disk full), so a probe takes it out of rotation. The body keeps its fields either way.
 */
final class HealthRoute implements ControlRoute {
    static final String RESTART_HINT = "restart this node once the cause (e.g. disk full) is fixed; it then applies "
            + "the entry it stopped at and catches up";

    private final ClusterView view;
    private final Supplier<Map<String, Object>> localStats;
    private final ObjectMapper mapper;

    HealthRoute(ClusterView view, Supplier<Map<String, Object>> localStats, ObjectMapper mapper) {
        this.view = view;
        this.localStats = localStats;
        this.mapper = mapper;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive, Caller caller) {
        Optional<String> halted = view.haltReason();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", halted.isPresent() ? "halted" : "ok");
        halted.ifPresent(reason -> answer.put("reason", "the state machine halted: " + reason + "; " + RESTART_HINT));
        answer.put("nodeId", view.nodeId());
        answer.put("group", view.group());
        answer.put("role", view.role().name());
        answer.put("term", view.term());
        answer.put("leader", view.leaderNodeId().orElse(null));
        answer.put("lastAppliedIndex", view.lastAppliedIndex());
        answer.put("lastSnapshotIndex", view.lastSnapshotIndex());
        answer.putAll(localStats.get());
        answer.put("members", view.members().stream().map(HealthRoute::member).toList());
        HttpReplies.json(ctx, keepAlive, halted.isPresent() ? HttpResponseStatus.SERVICE_UNAVAILABLE
                : HttpResponseStatus.OK, mapper, answer);
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
