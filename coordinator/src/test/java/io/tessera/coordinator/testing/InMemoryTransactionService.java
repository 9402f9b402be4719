package io.tessera.coordinator.testing;

import io.tessera.codec.message.BranchRegisterRequest;
import io.tessera.codec.message.BranchRegisterResponse;
import io.tessera.codec.message.BranchReportRequest;
import io.tessera.codec.message.BranchReportResponse;
import io.tessera.codec.message.GlobalBeginRequest;
import io.tessera.codec.message.GlobalBeginResponse;
import io.tessera.codec.message.GlobalEndRequest;
import io.tessera.codec.message.GlobalEndResponse;
import io.tessera.codec.message.GlobalLockQueryRequest;
import io.tessera.codec.message.GlobalLockQueryResponse;
import io.tessera.codec.message.GlobalReportRequest;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.message.Request;
import io.tessera.codec.message.Response;
import io.tessera.codec.message.ResultCode;
import io.tessera.codec.message.TransactionExceptionCode;
import io.tessera.coordinator.transport.ClientSession;
import io.tessera.coordinator.transport.TransactionFailedException;
import io.tessera.coordinator.transport.TransactionService;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small real transaction service over maps, standing in for the Raft-backed one in front-end
 * tests. Transactions named "hang" and requests on xid "hang" never complete (to exercise the
 * request timeout); requests on xid "unencodable" get an answer the codec cannot encode. Records the thread and session of each call.
 */
public final class InMemoryTransactionService implements TransactionService {
    public record Branch(String xid, long branchId, String resourceId, String clientId) {
    }

    private final String xidPrefix;
    private final AtomicLong ids = new AtomicLong(1000);
    private final Map<String, GlobalStatus> globals = new ConcurrentHashMap<>();
    public final List<Branch> branches = new CopyOnWriteArrayList<>();
    public final List<String> threads = new CopyOnWriteArrayList<>();

    public InMemoryTransactionService(String xidPrefix) {
        this.xidPrefix = xidPrefix;
    }

    @Override
    public CompletableFuture<Response> handle(ClientSession session, Request request) {
        threads.add(Thread.currentThread().getName());
        if (request instanceof GlobalBeginRequest begin) {
            if ("hang".equals(begin.transactionName())) {
                return new CompletableFuture<>();
            }
            String xid = xidPrefix + ":" + ids.incrementAndGet();
            globals.put(xid, GlobalStatus.Begin);
            return done(new GlobalBeginResponse(ResultCode.Success, null, TransactionExceptionCode.Unknown, xid, null));
        }
        if (request instanceof GlobalEndRequest end) {
            if ("hang".equals(end.xid())) {
                return new CompletableFuture<>();
            }
            if ("unencodable".equals(end.xid())) {
                // a buggy service: the SEATA codec refuses a global end answer without globalStatus
                return done(new GlobalEndResponse(end.kind(), ResultCode.Success, null,
                        TransactionExceptionCode.Unknown, null));
            }
            GlobalStatus current = globals.get(end.xid());
            if (current == null) {
                return CompletableFuture.failedFuture(new TransactionFailedException(
                        TransactionExceptionCode.GlobalTransactionNotExist, "no transaction " + end.xid(),
                        GlobalStatus.Finished));
            }
            GlobalStatus next = switch (end.kind()) {
                case COMMIT -> GlobalStatus.Committed;
                case ROLLBACK -> GlobalStatus.Rollbacked;
                default -> current;
            };
            globals.put(end.xid(), next);
            return done(new GlobalEndResponse(end.kind(), ResultCode.Success, null, TransactionExceptionCode.Unknown,
                    next));
        }
        if (request instanceof GlobalReportRequest report) {
            globals.put(report.xid(), report.globalStatus());
            return done(new GlobalEndResponse(GlobalEndRequest.Kind.REPORT, ResultCode.Success, null,
                    TransactionExceptionCode.Unknown, report.globalStatus()));
        }
        if (request instanceof BranchRegisterRequest reg) {
            if (!globals.containsKey(reg.xid())) {
                return CompletableFuture.failedFuture(new TransactionFailedException(
                        TransactionExceptionCode.GlobalTransactionNotExist, "no transaction " + reg.xid()));
            }
            long branchId = ids.incrementAndGet();
            branches.add(new Branch(reg.xid(), branchId, reg.resourceId(), session.clientId()));
            return done(new BranchRegisterResponse(ResultCode.Success, null, TransactionExceptionCode.Unknown, branchId));
        }
        if (request instanceof BranchReportRequest) {
            return done(new BranchReportResponse(ResultCode.Success, null, TransactionExceptionCode.Unknown));
        }
        if (request instanceof GlobalLockQueryRequest) {
            return done(new GlobalLockQueryResponse(ResultCode.Success, null, TransactionExceptionCode.Unknown, true));
        }
        throw new IllegalArgumentException("unexpected request " + request);
    }

    public String begin() {
        String xid = xidPrefix + ":" + ids.incrementAndGet();
        globals.put(xid, GlobalStatus.Begin);
        return xid;
    }

    public GlobalStatus status(String xid) {
        return globals.get(xid);
    }

    private static CompletableFuture<Response> done(Response r) {
        return CompletableFuture.completedFuture(r);
    }
}
