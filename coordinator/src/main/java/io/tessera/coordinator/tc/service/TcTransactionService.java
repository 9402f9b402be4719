package io.tessera.coordinator.tc;

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
import io.tessera.codec.text.ClientText;
import io.tessera.coordinator.clientauth.ClientAuth;
import io.tessera.coordinator.transport.ClientSession;
import io.tessera.coordinator.transport.TransactionFailedException;
import io.tessera.coordinator.transport.TransactionService;
import io.tessera.raft.tx.TxCommands;
import io.tessera.raft.tx.TxOutcome;
import io.tessera.raft.tx.TxView;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seata's TC semantics on top of the replicated state: every mutating request becomes one command
 * proposed through the group (which forwards from followers), queries read the local replica after
 * a linearizable read barrier.
 */
public final class TcTransactionService implements TransactionService {
    private static final Logger LOG = LoggerFactory.getLogger(TcTransactionService.class);

    private final Proposer proposer;
    private final TxView view;
    private final TxCommands commands;
    private final PhaseTwoOutcomes outcomes;
    private final String xidPrefix;
    private final TcOptions options;
    private final Executor executor;
    private final XidOwnership ownership;

    /**
     * @param xidPrefix {@code advertisedHost:transactionPort} of this node (spec §9.7)
     * @param executor where continuations run, so that nothing heavy runs on apply or I/O threads
     * @param clientAuth when on, requests on an xid are checked against the application that began it
     */
    public TcTransactionService(Proposer proposer, TxView view, TxCommands commands, PhaseTwoOutcomes outcomes,
            String xidPrefix, TcOptions options, Executor executor, ClientAuth clientAuth) {
        this.proposer = proposer;
        this.view = view;
        this.commands = commands;
        this.outcomes = outcomes;
        this.xidPrefix = xidPrefix;
        this.options = options;
        this.executor = executor;
        this.ownership = new XidOwnership(clientAuth, view, proposer::readBarrier);
    }

    @Override
    public CompletableFuture<Response> handle(ClientSession session, Request request) {
        // Checked before anything is proposed: a refused request writes nothing to the state.
        return ownership.check(session, request).thenCompose(allowed -> serve(session, request));
    }

    private CompletableFuture<Response> serve(ClientSession session, Request request) {
        if (request instanceof GlobalBeginRequest r) {
            return begin(session, r);
        }
        if (request instanceof BranchRegisterRequest r) {
            return register(session, r);
        }
        if (request instanceof GlobalEndRequest r) {
            return switch (r.kind()) {
                case COMMIT, ROLLBACK -> decide(r);
                case STATUS -> status(r);
                case REPORT -> CompletableFuture.failedFuture(new IllegalArgumentException("REPORT kind"));
            };
        }
        if (request instanceof BranchReportRequest r) {
            return branchReport(r);
        }
        if (request instanceof GlobalLockQueryRequest r) {
            return lockQuery(r);
        }
        if (request instanceof GlobalReportRequest r) {
            return globalReport(r);
        }
        return CompletableFuture.failedFuture(new TransactionFailedException(TransactionExceptionCode.Unknown,
                "a TC does not serve request type " + request.typeCode()));
    }

    private CompletableFuture<Response> begin(ClientSession session, GlobalBeginRequest r) {
        byte[] draft = commands.begin(xidPrefix, session.applicationId(), session.transactionServiceGroup(),
                r.transactionName(), r.timeout());
        // A begin whose outcome is unknown (the leader stepped down with it in flight) is proposed again
        // instead of failing the client: the client only learns the xid of the begin that answers, and
        // a begin that applied unanswered is an empty transaction the timeout driver rolls back.
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.decisionBudgetMs());
        return proposer.proposeIdempotent(draft, deadline).thenApply(o -> {
            if (!o.success()) {
                throw rejected(o, TransactionExceptionCode.BeginFailed);
            }
            LOG.debug("begin xid={} app={} name={} timeout={}", o.xid(), ClientText.of(session.applicationId()),
                    ClientText.of(r.transactionName()), r.timeout());
            return (Response) new GlobalBeginResponse(ResultCode.Success, null, TransactionExceptionCode.Unknown,
                    o.xid(), null);
        }).exceptionally(e -> {
            throw failure(e, TransactionExceptionCode.BeginFailed, null);
        });
    }

    private CompletableFuture<Response> register(ClientSession session, BranchRegisterRequest r) {
        byte[] draft = commands.register(r.xid(), r.branchType(), r.resourceId(), r.lockKey(), session.clientId(),
                r.applicationData());
        return proposer.propose(draft).thenApply(o -> {
            if (!o.success()) {
                if (o.exceptionCode() == TransactionExceptionCode.LockKeyConflict
                        || o.exceptionCode() == TransactionExceptionCode.LockKeyConflictFailFast) {
                    LOG.debug("lock conflict xid={} resource={} {}", ClientText.of(r.xid()), ClientText.of(r.resourceId()),
                            ClientText.of(o.message()));
                }
                return (Response) new BranchRegisterResponse(ResultCode.Failed, o.message(), o.exceptionCode(), 0);
            }
            return new BranchRegisterResponse(ResultCode.Success, null, TransactionExceptionCode.Unknown, o.branchId());
        }).exceptionally(e -> {
            throw failure(e, TransactionExceptionCode.BranchRegisterFailed, null);
        });
    }

    private CompletableFuture<Response> branchReport(BranchReportRequest r) {
        return proposer.propose(commands.report(r.xid(), r.branchId(), r.status(), r.applicationData())).thenApply(o -> {
            if (!o.success()) {
                return (Response) new BranchReportResponse(ResultCode.Failed, o.message(), o.exceptionCode());
            }
            return new BranchReportResponse(ResultCode.Success, null, TransactionExceptionCode.Unknown);
        }).exceptionally(e -> {
            throw failure(e, TransactionExceptionCode.BranchReportFailed, null);
        });
    }

    private CompletableFuture<Response> globalReport(GlobalReportRequest r) {
        if (r.globalStatus() == null) {
            return CompletableFuture.completedFuture(new GlobalEndResponse(GlobalEndRequest.Kind.REPORT,
                    ResultCode.Failed, "GlobalReport without a status", TransactionExceptionCode.GlobalTransactionStatusInvalid,
                    currentStatus(r.xid())));
        }
        return proposer.propose(commands.reportGlobal(r.xid(), r.globalStatus()))
                .thenApply(o -> endResponse(GlobalEndRequest.Kind.REPORT, o, o.globalStatus()))
                .exceptionally(e -> {
                    throw failure(e, TransactionExceptionCode.IO, null);
                });
    }

    /**
     * Commit and rollback are idempotent in the state machine (a repeat returns the current status),
     * so an unknown outcome (leader change mid-flight) is settled by proposing again within the budget.
     */
    private CompletableFuture<Response> decide(GlobalEndRequest r) {
        boolean commit = r.kind() == GlobalEndRequest.Kind.COMMIT;
        byte[] draft = commit ? commands.commit(r.xid()) : commands.rollback(r.xid());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.decisionBudgetMs());
        return proposer.proposeIdempotent(draft, deadline).thenComposeAsync(o -> {
            if (!o.success()) {
                return CompletableFuture.completedFuture(endResponse(r.kind(), o, o.globalStatus()));
            }
            GlobalStatus s = o.globalStatus();
            if (commit && s == GlobalStatus.AsyncCommitting) {
                // Seata answers Committed for AT: the decision is durable, branches commit in the background.
                return CompletableFuture.completedFuture(endResponse(r.kind(), o, GlobalStatus.Committed));
            }
            if (s.isEnded() || ObservedStateMachine.isRetrying(s)) {
                return CompletableFuture.completedFuture(endResponse(r.kind(), o, s));
            }
            return awaitPhaseTwo(r.xid()).thenApply(finalOrRetrying -> endResponse(r.kind(), o, finalOrRetrying));
        }, executor).exceptionally(e -> {
            throw failure(e, TransactionExceptionCode.IO, decidedStatusOrNull(r.xid()));
        });
    }

    private CompletableFuture<GlobalStatus> awaitPhaseTwo(String xid) {
        return outcomes.await(xid);
    }

    private CompletableFuture<Response> status(GlobalEndRequest r) {
        return proposer.readBarrier().thenApply(v -> (Response) new GlobalEndResponse(GlobalEndRequest.Kind.STATUS,
                ResultCode.Success, null, TransactionExceptionCode.Unknown, currentStatus(r.xid())))
                .exceptionally(e -> {
                    throw failure(e, TransactionExceptionCode.IO, null);
                });
    }

    private CompletableFuture<Response> lockQuery(GlobalLockQueryRequest r) {
        return proposer.readBarrier().thenApply(v -> {
            try {
                boolean lockable = view.lockable(r.resourceId(), r.lockKey(), r.xid());
                return (Response) new GlobalLockQueryResponse(ResultCode.Success, null,
                        TransactionExceptionCode.Unknown, lockable);
            } catch (IllegalArgumentException bad) {
                return new GlobalLockQueryResponse(ResultCode.Failed, bad.getMessage(),
                        TransactionExceptionCode.LockableCheckFailed, false);
            }
        }).exceptionally(e -> {
            throw failure(e, TransactionExceptionCode.LockableCheckFailed, null);
        });
    }

    /** Live status, else the retained final status, else Finished (Seata's answer for an unknown xid). */
    private GlobalStatus currentStatus(String xid) {
        if (xid == null || xid.isEmpty()) {
            return GlobalStatus.Finished;
        }
        return view.status(xid).orElse(GlobalStatus.Finished);
    }

    /** The locally known status if it already shows a decision; null (unknown outcome) otherwise. */
    private GlobalStatus decidedStatusOrNull(String xid) {
        GlobalStatus s = currentStatus(xid);
        return s == GlobalStatus.Begin || s == GlobalStatus.Finished ? null : s;
    }

    private static Response endResponse(GlobalEndRequest.Kind kind, TxOutcome o, GlobalStatus status) {
        if (!o.success()) {
            return new GlobalEndResponse(kind, ResultCode.Failed, o.message(), o.exceptionCode(), status);
        }
        return new GlobalEndResponse(kind, ResultCode.Success, null, TransactionExceptionCode.Unknown, status);
    }

    private static TransactionFailedException rejected(TxOutcome o, TransactionExceptionCode fallback) {
        TransactionExceptionCode code = o.exceptionCode() == TransactionExceptionCode.Unknown ? fallback : o.exceptionCode();
        return new TransactionFailedException(code, o.message());
    }

    private static RuntimeException failure(Throwable e, TransactionExceptionCode code, GlobalStatus status) {
        Throwable t = Proposer.unwrap(e);
        if (t instanceof TransactionFailedException tfe) {
            return tfe;
        }
        String why = t instanceof TimeoutException ? "timed out" : String.valueOf(t.getMessage());
        return new TransactionFailedException(code, why, status);
    }
}
