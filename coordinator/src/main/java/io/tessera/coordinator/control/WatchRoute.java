package io.tessera.coordinator.control;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.ScheduledFuture;
import io.tessera.coordinator.cluster.ClusterView;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code POST /metadata/v1/watch} with form body {@code <group>=<term the client knows>} and optional
 * {@code timeout} (ms). Answers 200 at once when this node knows a newer term and its leader;
 * otherwise holds the request until there is something new to read - a newer term, another leader or
 * another member list (a member added or removed), with a leader known - (200) or the timeout passes
 * (304). A membership change moves neither term nor leader, so a watch held across it is released by
 * the member list's version: Seata's client then re-reads the metadata and learns the new members; its
 * next watch starts at the new version and is held again.
 *
 * <p>Why "with a leader known": while an election runs the metadata has no nodes, and Seata's client
 * ignores an empty node list without taking its term. Released during the election, it would watch
 * again with its old term, be released at once, and loop until a leader appears.
 *
 * <p>The leader holds a watch only {@link #LEADER_HOLD_MS}, then answers 304. Why: Seata's client watches
 * a random member of the list it last refreshed (followers only, but refreshed every ~10 s from its
 * channel manager), so right after an election it may park its 28 s watch on the node that has just
 * become leader. If that leader is then killed, the watch fails and the client sleeps 1 s before it
 * looks again - a whole second added to the failover. A 304 makes it watch again at once, picking at
 * random again, so it soon settles on a follower, which is what outlives a leader's death. The hold
 * keeps a client that knows only the leader from spinning: it asks at most a few times per second.
 *
 * <p>Held watches are released from the cluster view's change callback, so a leader change reaches
 * clients as soon as the view reports it, not on a polling tick. Each watch completes exactly once
 * (change, timeout and channel close race; the {@link AtomicBoolean} decides).
 *
 * <p>A held watch is a request in progress for the connection bounds ({@link RequestDeadlines}): the
 * idle timeout does not cut it, and it ends by itself within {@link #MAX_TIMEOUT_MS}. Seata's client asks
 * for 28 s and gives the call 30 s.
 */
final class WatchRoute implements ControlRoute {
    static final long DEFAULT_TIMEOUT_MS = 28_000;
    /** How long the leader holds a watch whose term is current before answering 304 (see class comment). */
    static final long LEADER_HOLD_MS = 300;
    static final long MAX_TIMEOUT_MS = 120_000;

    private final ClusterView view;
    private final Set<PendingWatch> pending = ConcurrentHashMap.newKeySet();

    WatchRoute(ClusterView view) {
        this.view = view;
        view.addChangeListener(this::releaseChanged);
    }

    private final class PendingWatch {
        final ChannelHandlerContext ctx;
        final boolean keepAlive;
        final long clientTerm;
        final Optional<String> leaderAtStart;
        final long membershipAtStart;
        final AtomicBoolean done = new AtomicBoolean();
        volatile ScheduledFuture<?> timer;

        PendingWatch(ChannelHandlerContext ctx, boolean keepAlive, long clientTerm, Optional<String> leaderAtStart,
                long membershipAtStart) {
            this.ctx = ctx;
            this.keepAlive = keepAlive;
            this.clientTerm = clientTerm;
            this.leaderAtStart = leaderAtStart;
            this.membershipAtStart = membershipAtStart;
        }

        boolean changed() {
            Optional<String> leader = view.leaderNodeId();
            return leader.isPresent() && (view.term() > clientTerm || !leader.equals(leaderAtStart)
                    || view.membershipVersion() != membershipAtStart);
        }

        void finish(HttpResponseStatus status) {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            pending.remove(this);
            ScheduledFuture<?> t = timer;
            if (t != null) {
                t.cancel(false);
            }
            if (ctx.channel().isActive()) {
                ctx.executor().execute(() -> HttpReplies.empty(ctx, keepAlive, status));
            }
        }
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive, Caller caller) {
        Map<String, String> params = HttpParams.of(request);
        long timeoutMs = parseLong(params.get("timeout"), DEFAULT_TIMEOUT_MS);
        timeoutMs = Math.max(0, Math.min(timeoutMs, MAX_TIMEOUT_MS));
        // A watch that names no term for our group behaves like one that knows term 0.
        long clientTerm = parseLong(params.get(view.group()), 0);

        PendingWatch watch = new PendingWatch(ctx, keepAlive, clientTerm, view.leaderNodeId(),
                view.membershipVersion());
        if (view.term() > clientTerm && view.leaderNodeId().isPresent()) {
            watch.finish(HttpResponseStatus.OK);
            return;
        }
        if (view.leaderNodeId().filter(view.nodeId()::equals).isPresent()) {
            timeoutMs = Math.min(timeoutMs, LEADER_HOLD_MS);
        }
        pending.add(watch);
        watch.timer = ctx.executor().schedule(() -> watch.finish(HttpResponseStatus.NOT_MODIFIED),
                timeoutMs, TimeUnit.MILLISECONDS);
        ctx.channel().closeFuture().addListener(f -> {
            watch.done.set(true);
            pending.remove(watch);
            watch.timer.cancel(false);
        });
        // The view may have changed between the first check and registration.
        if (watch.changed()) {
            watch.finish(HttpResponseStatus.OK);
        }
    }

    int pendingCount() {
        return pending.size();
    }

    private void releaseChanged() {
        for (PendingWatch watch : pending) {
            if (watch.changed()) {
                watch.finish(HttpResponseStatus.OK);
            }
        }
    }

    private static long parseLong(String value, long fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
