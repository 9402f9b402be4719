package io.tessera.compat;

import io.tessera.codec.message.BranchEndRequest;
import io.tessera.codec.message.BranchEndResponse;
import io.tessera.codec.message.BranchRegisterRequest;
import io.tessera.codec.message.BranchRegisterResponse;
import io.tessera.codec.message.BranchReportRequest;
import io.tessera.codec.message.BranchReportResponse;
import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.BranchType;
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
import io.tessera.coordinator.transport.RmRequestSender;
import io.tessera.coordinator.transport.TransactionFailedException;
import io.tessera.coordinator.transport.TransactionService;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A single-node, in-memory TC good enough to take a real Seata client through begin, branch
 * register and phase two: commit/rollback send BranchCommit/BranchRollback to the RM that
 * registered each branch (through the front end's RmRequestSender) and answer with the outcome.
 */
final class PhaseTwoService implements TransactionService {
    record Branch(long branchId, BranchType type, String resourceId, String clientId, String applicationData) {
    }

    private final String xidPrefix;
    private final RmRequestSender sender;
    private final AtomicLong ids = new AtomicLong(System.nanoTime() & 0xFFFFFFFFL);
    private final Map<String, GlobalStatus> status = new ConcurrentHashMap<>();
    private final Map<String, List<Branch>> branches = new ConcurrentHashMap<>();
    final List<String> beginApplications = new CopyOnWriteArrayList<>();

    PhaseTwoService(String xidPrefix, RmRequestSender sender) {
        this.xidPrefix = xidPrefix;
        this.sender = sender;
    }

    @Override
    public CompletableFuture<Response> handle(ClientSession session, Request request) {
        if (request instanceof GlobalBeginRequest) {
            String xid = xidPrefix + ":" + ids.incrementAndGet();
            status.put(xid, GlobalStatus.Begin);
            branches.put(xid, new CopyOnWriteArrayList<>());
            beginApplications.add(session.applicationId());
            return done(new GlobalBeginResponse(ResultCode.Success, null, TransactionExceptionCode.Unknown, xid, null));
        }
        if (request instanceof BranchRegisterRequest reg) {
            List<Branch> list = branches.get(reg.xid());
            if (list == null || status.get(reg.xid()) != GlobalStatus.Begin) {
                return CompletableFuture.failedFuture(new TransactionFailedException(
                        TransactionExceptionCode.GlobalTransactionNotActive, "not active: " + reg.xid()));
            }
            long branchId = ids.incrementAndGet();
            list.add(new Branch(branchId, reg.branchType(), reg.resourceId(), session.clientId(), reg.applicationData()));
            return done(new BranchRegisterResponse(ResultCode.Success, null, TransactionExceptionCode.Unknown, branchId));
        }
        if (request instanceof GlobalEndRequest end) {
            GlobalStatus current = status.get(end.xid());
            if (current == null) {
                return done(new GlobalEndResponse(end.kind(), ResultCode.Failed, "no such transaction",
                        TransactionExceptionCode.GlobalTransactionNotExist, GlobalStatus.Finished));
            }
            return switch (end.kind()) {
                case COMMIT -> phaseTwo(end, true, GlobalStatus.Committed, GlobalStatus.CommitFailed);
                case ROLLBACK -> phaseTwo(end, false, GlobalStatus.Rollbacked, GlobalStatus.RollbackFailed);
                default -> done(new GlobalEndResponse(end.kind(), ResultCode.Success, null,
                        TransactionExceptionCode.Unknown, current));
            };
        }
        if (request instanceof GlobalReportRequest report) {
            status.put(report.xid(), report.globalStatus());
            return done(new GlobalEndResponse(GlobalEndRequest.Kind.REPORT, ResultCode.Success, null,
                    TransactionExceptionCode.Unknown, report.globalStatus()));
        }
        if (request instanceof BranchReportRequest) {
            return done(new BranchReportResponse(ResultCode.Success, null, TransactionExceptionCode.Unknown));
        }
        if (request instanceof GlobalLockQueryRequest) {
            return done(new GlobalLockQueryResponse(ResultCode.Success, null, TransactionExceptionCode.Unknown, true));
        }
        return CompletableFuture.failedFuture(new IllegalArgumentException("unexpected " + request));
    }

    private CompletableFuture<Response> phaseTwo(GlobalEndRequest end, boolean commit, GlobalStatus success,
            GlobalStatus failure) {
        BranchStatus wanted = commit ? BranchStatus.PhaseTwo_Committed : BranchStatus.PhaseTwo_Rollbacked;
        List<CompletableFuture<Boolean>> sends = branches.get(end.xid()).stream()
                .map(b -> sender.send(new BranchEndRequest(commit, end.xid(), b.branchId(), b.type(), b.resourceId(),
                        b.applicationData()), b.clientId())
                        .thenApply((BranchEndResponse r) -> r.branchStatus() == wanted)
                        .exceptionally(e -> false))
                .toList();
        return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).thenApply(v -> {
            boolean ok = sends.stream().allMatch(CompletableFuture::join);
            GlobalStatus outcome = ok ? success : failure;
            status.put(end.xid(), outcome);
            return new GlobalEndResponse(end.kind(), ResultCode.Success, null, TransactionExceptionCode.Unknown, outcome);
        });
    }

    private static CompletableFuture<Response> done(Response r) {
        return CompletableFuture.completedFuture(r);
    }
}
