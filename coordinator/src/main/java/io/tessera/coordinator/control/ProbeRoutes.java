package io.tessera.coordinator.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tessera.coordinator.cluster.ClusterView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Kubernetes-style probes, open like {@code /health}:
 * <ul>
 * <li>{@code GET /health/live}: 200 while the process serves its control port. A halted state machine
 * is not a liveness failure: restarting only helps once its cause (e.g. a full disk) is fixed, so a
 * liveness probe must not restart it in a loop; readiness takes it out of rotation instead.</li>
 * <li>{@code GET /health/ready}: 200 when this node can serve: a leader is known, its state machine has
 * not halted, and it has applied up to the commit index it knows, within {@code health.ready-max-apply-lag}
 * entries. Otherwise 503 with every reason.</li>
 * </ul>
 */
public final class ProbeRoutes {
    public static final String LIVE = "/health/live";
    public static final String READY = "/health/ready";

    private final ClusterView view;
    private final LongSupplier commitIndex;
    private final long maxApplyLag;
    private final ObjectMapper mapper = new ObjectMapper();

    /** @param commitIndex the highest index this node knows committed */
    public ProbeRoutes(ClusterView view, LongSupplier commitIndex, long maxApplyLag) {
        this.view = view;
        this.commitIndex = commitIndex;
        this.maxApplyLag = maxApplyLag;
    }

    public ControlRoute live() {
        return (ctx, request, keepAlive, caller) -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("status", "live");
            answer.put("nodeId", view.nodeId());
            HttpReplies.json(ctx, keepAlive, HttpResponseStatus.OK, mapper, answer);
        };
    }

    public ControlRoute ready() {
        return this::ready;
    }

    private void ready(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive, Caller caller) {
        List<String> reasons = new ArrayList<>();
        Optional<String> leader = view.leaderNodeId();
        if (leader.isEmpty()) {
            reasons.add("no leader is known (election in progress or no quorum)");
        }
        Optional<String> halted = view.haltReason();
        halted.ifPresent(r -> reasons.add("the state machine halted: " + r + "; " + HealthRoute.RESTART_HINT));
        long commit = commitIndex.getAsLong();
        long applied = view.lastAppliedIndex();
        long lag = Math.max(0, commit - applied);
        if (lag > maxApplyLag) {
            reasons.add("applied index " + applied + " is " + lag + " entries behind the commit index " + commit
                    + " (more than health.ready-max-apply-lag=" + maxApplyLag + ")");
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", reasons.isEmpty() ? "ready" : "not-ready");
        if (!reasons.isEmpty()) {
            answer.put("reasons", reasons);
        }
        answer.put("nodeId", view.nodeId());
        answer.put("role", view.role().name());
        answer.put("leader", leader.orElse(null));
        answer.put("commitIndex", commit);
        answer.put("lastAppliedIndex", applied);
        HttpReplies.json(ctx, keepAlive, reasons.isEmpty() ? HttpResponseStatus.OK
                : HttpResponseStatus.SERVICE_UNAVAILABLE, mapper, answer);
    }
}
