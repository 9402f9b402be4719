package io.tessera.coordinator.transport;

import io.tessera.codec.RpcFrame;
import io.tessera.codec.text.ClientText;
import io.tessera.codec.message.BranchEndRequest;
import io.tessera.codec.message.BranchEndResponse;
import io.tessera.codec.message.UndoLogDeleteRequest;
import io.netty.channel.ChannelFutureListener;
import java.nio.channels.ClosedChannelException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TC→RM requests (spec §9.5): BranchCommit/BranchRollback with this node's own request ids, answers
 * correlated by id only (RMs answer out of order), a timeout per request, and immediate failure of
 * every pending request when its connection closes.
 */
public final class RmRequestSender {
    private static final Logger LOG = LoggerFactory.getLogger(RmRequestSender.class);

    private record Pending(CompletableFuture<BranchEndResponse> future, ClientSession session, BranchEndRequest request) {
    }

    private final RmChannels channels;
    private final long timeoutMs;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();

    public RmRequestSender(RmChannels channels, long timeoutMs) {
        this.channels = channels;
        this.timeoutMs = timeoutMs;
    }

    /**
     * Sends on the connection {@link RmChannels#select} picks for the request's resource and the
     * branch's stored clientId. Fails at once with {@link NoRmChannelException} when there is none.
     */
    public CompletableFuture<BranchEndResponse> send(BranchEndRequest request, String clientId) {
        return channels.select(request.resourceId(), clientId, request.branchType())
                .map(session -> sendTo(session, request))
                .orElseGet(() -> CompletableFuture.failedFuture(new NoRmChannelException(
                        "no RM connection on this node for resource " + request.resourceId() + " (client " + clientId
                                + ", " + request.branchType() + ", xid " + request.xid() + ")")));
    }

    /** Sends on a given RM session (e.g. one chosen by another node). */
    public CompletableFuture<BranchEndResponse> sendTo(ClientSession session, BranchEndRequest request) {
        CompletableFuture<BranchEndResponse> future = new CompletableFuture<>();
        if (!session.alive()) {
            future.completeExceptionally(new NoRmChannelException("RM connection " + session + " is closed"));
            return future;
        }
        // 31-bit ids like Seata's own counters; the id space is this node's, per connection-independent.
        int id = ids.incrementAndGet() & 0x7FFFFFFF;
        pending.put(id, new Pending(future, session, request));
        ScheduledFuture<?> timer;
        try {
            timer = session.channel().eventLoop().schedule(() -> timedOut(future, session, request, id),
                    timeoutMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            pending.remove(id);
            future.completeExceptionally(new RmConnectionClosedException("transaction port is shutting down"));
            return future;
        }
        // The timer must go as soon as the answer is in: the event loop keeps scheduled tasks in a heap,
        // and uncancelled ones would pile up to rate x timeout entries, each schedule paying a log-size
        // sift. Answers complete on the same event loop, so the cancel is a direct heap removal there.
        future.whenComplete((r, e) -> {
            timer.cancel(false);
            pending.remove(id);
        });
        session.channel().writeAndFlush(RpcFrame.request(id, session.codec(), request))
                .addListener((ChannelFutureListener) f -> {
                    if (!f.isSuccess()) {
                        future.completeExceptionally(f.cause() != null ? f.cause() : new ClosedChannelException());
                    }
                });
        return future;
    }

    private void timedOut(CompletableFuture<BranchEndResponse> future, ClientSession session, BranchEndRequest request,
            int id) {
        if (future.completeExceptionally(new RmRequestTimeoutException("no answer from RM " + session
                + " within " + timeoutMs + " ms to " + Describe.request(request)))) {
            if (session.log().tryLog()) {
                LOG.warn("phase-two {} id {} to {} timed out{}", Describe.request(request), id, session,
                        session.log().suppressedNote());
            }
        }
    }

    /** UndoLogDelete is oneway (msgType 2) and never answered. */
    public void sendOneway(ClientSession session, UndoLogDeleteRequest request) {
        int id = ids.incrementAndGet() & 0x7FFFFFFF;
        session.channel().writeAndFlush(new RpcFrame(RpcFrame.TYPE_ONEWAY, session.codec(), RpcFrame.COMPRESSOR_NONE,
                id, Map.of(), request));
    }

    /** Called on the event loop for every BranchCommit/BranchRollback response frame. */
    void onResponse(ClientSession from, int requestId, BranchEndResponse response) {
        Pending p = pending.get(requestId);
        if (p == null) {
            if (from.log().tryLog()) {
                LOG.info("late or unknown phase-two answer id {} from {} (xid {}){}", requestId, from,
                        ClientText.of(response.xid()), from.log().suppressedNote());
            }
            return;
        }
        p.future.complete(response);
    }

    /** Called when a connection closes: its pending requests can no longer be answered. */
    void onClosed(ClientSession session) {
        pending.values().stream().filter(p -> p.session == session).forEach(p -> p.future.completeExceptionally(
                new RmConnectionClosedException("RM connection " + session + " closed before answering "
                        + Describe.request(p.request))));
    }

    int pendingCount() {
        return pending.size();
    }
}
