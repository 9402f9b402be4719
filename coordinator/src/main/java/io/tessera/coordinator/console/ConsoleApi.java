package io.tessera.coordinator.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.text.ClientText;
import io.tessera.coordinator.control.Caller;
import io.tessera.coordinator.control.ControlServer;
import io.tessera.coordinator.tc.port.TxLog;
import io.tessera.raft.group.ProposalOptions;
import io.tessera.raft.proto.ConsoleActionKind;
import io.tessera.raft.tx.ConsolePage;
import io.tessera.raft.tx.ConsoleTx;
import io.tessera.raft.tx.GlobalQuery;
import io.tessera.raft.tx.LockQuery;
import io.tessera.raft.tx.LockRow;
import io.tessera.raft.tx.TxCommands;
import io.tessera.raft.tx.TxOutcome;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seata 2.5's console API on the control port of every node (admin role): queries of transactions and
 * row locks, read linearizably (read barrier, then this replica's store) off the event loop, and the
 * operators' actions as replicated {@code ConsoleAction} commands, proposed from any node (TxLog forwards
 * to the leader) and recorded with who asked. Answers follow Seata 2.4's controller advice: HTTP 200
 * with code "500" and the reason for every refusal or failure, so the console shows it. The decisions are
 * in docs/console-api.md.
 */
public final class ConsoleApi {
    public static final String BASE = "/api/v1/console";
    public static final String OVERVIEW = "/api/v1/overview/getData";
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleApi.class);

    /** What a route computes from its parameters and caller: the JSON body to answer with HTTP 200. */
    private interface Handler {
        CompletableFuture<Map<String, Object>> handle(ConsoleParams params, Caller caller);
    }

    private final TxLog log;
    private final TxCommands commands;
    private final String nodeId;
    private final Executor executor;
    private final long proposalTimeoutMs;
    private final ObjectMapper mapper = new ObjectMapper();

    /**
     * @param executor where the store is read (never the event loop)
     * @param proposalTimeoutMs how long an action may take to be recorded
     */
    public ConsoleApi(TxLog log, TxCommands commands, String nodeId, Executor executor, long proposalTimeoutMs) {
        this.log = log;
        this.commands = commands;
        this.nodeId = nodeId;
        this.executor = executor;
        this.proposalTimeoutMs = proposalTimeoutMs;
    }

    /** Registers every console route (admin role) on {@code server}; call before it starts. */
    public void register(ControlServer server) {
        route(server, HttpMethod.GET, BASE + "/globalSession/query", this::queryGlobals);
        route(server, HttpMethod.GET, BASE + "/globalLock/query", this::queryLocks);
        route(server, HttpMethod.GET, BASE + "/globalLock/check", this::checkLock);
        route(server, HttpMethod.GET, OVERVIEW, this::overview);
        route(server, HttpMethod.DELETE, BASE + "/globalSession/forceDeleteGlobalSession",
                (p, c) -> global(p, c, ConsoleActionKind.FORCE_DELETE_GLOBAL, false));
        route(server, HttpMethod.PUT, BASE + "/globalSession/stopGlobalSession",
                (p, c) -> global(p, c, ConsoleActionKind.STOP_GLOBAL, false));
        route(server, HttpMethod.PUT, BASE + "/globalSession/startGlobalSession",
                (p, c) -> global(p, c, ConsoleActionKind.START_GLOBAL, false));
        route(server, HttpMethod.PUT, BASE + "/globalSession/sendCommitOrRollback",
                (p, c) -> global(p, c, ConsoleActionKind.RESEND_GLOBAL, false));
        route(server, HttpMethod.PUT, BASE + "/globalSession/changeGlobalStatus",
                (p, c) -> global(p, c, ConsoleActionKind.RESEND_GLOBAL, true));
        route(server, HttpMethod.DELETE, BASE + "/globalSession/deleteGlobalSession", this::notSupported);
        route(server, HttpMethod.DELETE, BASE + "/branchSession/forceDeleteBranchSession",
                (p, c) -> branch(p, c, ConsoleActionKind.FORCE_DELETE_BRANCH));
        route(server, HttpMethod.PUT, BASE + "/branchSession/stopBranchSession",
                (p, c) -> branch(p, c, ConsoleActionKind.STOP_BRANCH));
        route(server, HttpMethod.PUT, BASE + "/branchSession/startBranchSession",
                (p, c) -> branch(p, c, ConsoleActionKind.START_BRANCH));
        route(server, HttpMethod.DELETE, BASE + "/branchSession/deleteBranchSession", this::notSupported);
        route(server, HttpMethod.DELETE, BASE + "/globalLock/delete", this::deleteLock);
    }

    private void route(ControlServer server, HttpMethod method, String path, Handler handler) {
        server.addRoute(method, path, io.tessera.raft.tx.ControlRole.ADMIN,
                (ctx, request, keepAlive, caller) -> serve(ctx, request, keepAlive, caller, handler));
    }

    private void serve(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive, Caller caller,
            Handler handler) {
        CompletableFuture<Map<String, Object>> answer;
        try {
            answer = handler.handle(ConsoleParams.of(request), caller);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((body, failure) -> {
            Map<String, Object> out = failure == null ? body : ConsoleJson.failure(reason(failure));
            ctx.executor().execute(() -> write(ctx, keepAlive, out));
        });
    }

    private static String reason(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof IllegalArgumentException) {
            return t.getMessage();
        }
        if (t instanceof RejectedExecutionException) {
            return "the node is stopping, please try again";
        }
        return "failed on this node, please try again: " + t.getMessage();
    }

    private void write(ChannelHandlerContext ctx, boolean keepAlive, Map<String, Object> body) {
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(body);
        } catch (IOException e) {
            bytes = "{\"code\":\"500\",\"message\":\"unserialisable answer\",\"data\":null,\"success\":false}".getBytes();
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(bytes));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=UTF-8");
        HttpUtil.setContentLength(r, bytes.length);
        HttpUtil.setKeepAlive(r, keepAlive);
        if (keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(r);
        } else {
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }

    // ---- queries ----

    /** Seata's db mode bounds (PageUtil.checkParam): the persistent store Seata pages through. */
    private static void checkPage(int pageNum, int pageSize) {
        if (pageNum < 1 || pageNum > 999) {
            throw new IllegalArgumentException("pageNum range not in [1-999]");
        }
        if (pageSize < 1 || pageSize > 100) {
            throw new IllegalArgumentException("pageSize range not in [1-100]");
        }
    }

    private <T> CompletableFuture<T> read(java.util.function.Supplier<T> query) {
        return log.readBarrier().thenApplyAsync(v -> query.get(), executor);
    }

    private CompletableFuture<Map<String, Object>> queryGlobals(ConsoleParams p, Caller caller) {
        int pageNum = p.integer("pageNum", 0);
        int pageSize = p.integer("pageSize", 0);
        checkPage(pageNum, pageSize);
        Long status = p.number("status", false);
        GlobalStatus s = null;
        if (status != null) {
            try {
                s = GlobalStatus.of(status.intValue());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Wrong parameter for status: no GlobalStatus " + status);
            }
        }
        GlobalQuery q = new GlobalQuery(p.text("xid"), p.text("applicationId"), s, p.text("transactionName"),
                p.number("timeStart", false), p.number("timeEnd", false), p.flag("withBranch"), pageNum, pageSize);
        return read(() -> {
            ConsolePage<ConsoleTx> page = log.view().queryGlobals(q);
            return ConsoleJson.page(ConsoleJson.globals(page), page.total(), pageNum, pageSize);
        });
    }

    private CompletableFuture<Map<String, Object>> queryLocks(ConsoleParams p, Caller caller) {
        int pageNum = p.integer("pageNum", 0);
        int pageSize = p.integer("pageSize", 0);
        checkPage(pageNum, pageSize);
        LockQuery q = new LockQuery(p.text("xid"), p.text("tableName"), p.number("transactionId", true),
                p.number("branchId", true), p.text("pk"), p.text("resourceId"), p.number("timeStart", false),
                p.number("timeEnd", false), pageNum, pageSize);
        return read(() -> {
            ConsolePage<LockRow> page = log.view().queryLocks(q);
            return ConsoleJson.page(ConsoleJson.locks(page), page.total(), pageNum, pageSize);
        });
    }

    /** Seata: any validation failure answers success(false), not an error. */
    private CompletableFuture<Map<String, Object>> checkLock(ConsoleParams p, Caller caller) {
        String xid = p.text("xid");
        Long branchId = p.number("branchId", true);
        if (xid == null || branchId == null) {
            return CompletableFuture.completedFuture(ConsoleJson.ok(false));
        }
        return read(() -> ConsoleJson.ok(log.view().hasBranch(xid, branchId)));
    }

    /**
     * Seata's overview answers mock data (its console's overview page is disabled); here the same shape,
     * a list of {name, id}, carries the retained transactions per status with their count.
     */
    private CompletableFuture<Map<String, Object>> overview(ConsoleParams p, Caller caller) {
        return read(() -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            log.view().statusCounts().forEach((status, count) -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", status.name());
                m.put("id", status.code());
                m.put("count", count);
                rows.add(m);
            });
            return ConsoleJson.ok(rows);
        });
    }

    // ---- actions ----

    private static String requireXid(ConsoleParams p) {
        String xid = p.text("xid");
        if (xid == null) {
            throw new IllegalArgumentException("Wrong parameter for xid");
        }
        return xid;
    }

    private static long requireBranchId(ConsoleParams p) {
        String b = p.text("branchId");
        if (b == null) {
            throw new IllegalArgumentException("Wrong parameter for branchId");
        }
        try {
            return Long.parseLong(b);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Wrong parameter for branchId, branch Id is not number");
        }
    }

    private CompletableFuture<Map<String, Object>> global(ConsoleParams p, Caller caller, ConsoleActionKind kind,
            boolean fromFailed) {
        return propose(caller, kind, requireXid(p), 0, fromFailed);
    }

    private CompletableFuture<Map<String, Object>> branch(ConsoleParams p, Caller caller, ConsoleActionKind kind) {
        return propose(caller, kind, requireXid(p), requireBranchId(p), false);
    }

    private CompletableFuture<Map<String, Object>> deleteLock(ConsoleParams p, Caller caller) {
        String xid = requireXid(p);
        long branchId = requireBranchId(p);
        if (p.text("tableName") == null || p.text("resourceId") == null || p.text("pk") == null) {
            throw new IllegalArgumentException("tableName or resourceId or pk can not be empty");
        }
        return propose(caller, ConsoleActionKind.DELETE_BRANCH_LOCKS, xid, branchId, false);
    }

    /**
     * Seata's non-forced deletes first ask each branch's resource manager to delete it (undo log, TCC
     * cancel); Tessera does not send those yet, so it refuses instead of deleting less than asked.
     */
    private CompletableFuture<Map<String, Object>> notSupported(ConsoleParams p, Caller caller) {
        requireXid(p);
        return CompletableFuture.completedFuture(ConsoleJson.failure("not supported by Tessera yet: a delete that"
                + " asks the resource managers to delete their branches; stop the transaction's retries and use the"
                + " force delete (the resource managers' undo logs are then left to their own cleanup)"));
    }

    private CompletableFuture<Map<String, Object>> propose(Caller caller, ConsoleActionKind kind, String xid,
            long branchId, boolean fromFailed) {
        String who = caller.describe() + " via " + nodeId;
        LOG.info("console {} of xid {}{} requested by {}", kind, ClientText.of(xid),
                branchId == 0 ? "" : " branch " + branchId, who);
        return log.propose(commands.console(kind, xid, branchId, fromFailed, who), ProposalOptions.once(proposalTimeoutMs))
                .thenApply(ConsoleApi::answer);
    }

    private static Map<String, Object> answer(TxOutcome o) {
        return o.success() ? ConsoleJson.ok(null) : ConsoleJson.failure(o.message());
    }
}
