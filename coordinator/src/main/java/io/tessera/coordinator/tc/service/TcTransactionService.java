package io.tessera.coordinator.tc.service;

import io.tessera.codec.message.BranchRegisterRequest;
import io.tessera.codec.message.BranchReportRequest;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalBeginRequest;
import io.tessera.codec.message.GlobalEndRequest;
import io.tessera.codec.message.GlobalLockQueryRequest;
import io.tessera.codec.message.GlobalReportRequest;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.message.Request;
import io.tessera.codec.message.Response;
import io.tessera.codec.message.TransactionExceptionCode;
import io.tessera.codec.text.ClientText;
import io.tessera.coordinator.clientauth.ClientAuth;
import io.tessera.coordinator.tc.TcOptions;
import io.tessera.coordinator.tc.port.AtResources;
import io.tessera.coordinator.tc.port.PhaseTwoWait;
import io.tessera.coordinator.tc.port.TxLog;
import io.tessera.coordinator.transport.ClientSession;
import io.tessera.coordinator.transport.TransactionFailedException;
import io.tessera.coordinator.transport.TransactionService;
import io.tessera.raft.group.ProposalOptions;
import io.tessera.raft.proto.TxCommand;
import io.tessera.raft.tx.TxCommands;
import io.tessera.raft.tx.TxOutcome;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seata's TC semantics on top of the replicated state: every mutating request becomes one command
 * proposed through the {@link TxLog} (which forwards from followers); queries read the local replica
 * after a linearizable read barrier. What the client hears is {@link ReplyPolicy}'s.
 */
public final class TcTransactionService implements TransactionService {
    private static final Logger LOG = LoggerFactory.getLogger(TcTransactionService.class);

    private final TxLog log;
    private final TxCommands commands;
    private final PhaseTwoWait phaseTwo;
    private final ReplyPolicy replies;
    private final String xidPrefix;
    private final TcOptions options;
    private final long requestTimeoutMs;
    private final Executor executor;
    private final XidOwnership ownership;
    private final AtResources atResources;

    /**
     * @param xidPrefix {@code advertisedHost:transactionPort} of this node (spec §9.7)
     * @param requestTimeoutMs what a single (not repeatable) proposal may take
     * @param executor where continuations run, so that nothing heavy runs on apply or I/O threads
     * @param clientAuth when on, requests on an xid are checked against the application that began it
     * @param atResources filled with the resourceIds of AT branches registered here (undo-log broadcast)
     */
    public TcTransactionService(TxLog log, TxCommands commands, PhaseTwoWait phaseTwo, ReplyPolicy replies,
            String xidPrefix, TcOptions options, long requestTimeoutMs, Executor executor, ClientAuth clientAuth,
            AtResources atResources) {
        this.log = log;
        this.commands = commands;
        this.phaseTwo = phaseTwo;
        this.replies = replies;
        this.xidPrefix = xidPrefix;
        this.options = options;
        this.requestTimeoutMs = requestTimeoutMs;
        this.executor = executor;
        this.ownership = new XidOwnership(clientAuth, log.view(), log::readBarrier);
        this.atResources = atResources;
    }

    @Override
    public CompletableFuture<Response> handle(ClientSession session, Request request) {
        // Checked before anything is proposed: a refused request writes nothing to the state.
        return ownership.check(session, request).handle((allowed, refusal) -> refusal == null
                ? serve(session, request)
                : CompletableFuture.completedFuture(refusedOrFailed(request, refusal)))
                .thenCompose(f -> f);
    }

    private Response refusedOrFailed(Request request, Throwable refusal) {
        Throwable t = ReplyPolicy.unwrap(refusal);
        if (t instanceof TransactionFailedException tfe) {
            return replies.refused(request, tfe);
        }
        // The read barrier of the check failed: nothing was proposed, so nothing is decided either.
        if (request instanceof GlobalEndRequest g && ReplyPolicy.isDecision(g)) {
            throw replies.undecided(g.kind(), g.xid(), refusal);
        }
        return replies.refused(request, new TransactionFailedException(TransactionExceptionCode.IO,
                String.valueOf(t.getMessage())));
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

    /**
     * A begin whose outcome is unknown (the leader stepped down with it in flight) is proposed again
     * instead of failing the client: the client only learns the xid of the begin that answers, and a begin
     * that applied unanswered is an empty transaction the timeout driver rolls back.
     */
    private CompletableFuture<Response> begin(ClientSession session, GlobalBeginRequest r) {
        TxCommand draft = commands.begin(xidPrefix, session.applicationId(), session.transactionServiceGroup(),
                r.transactionName(), r.timeout());
        return log.propose(draft, ProposalOptions.idempotent(options.decisionBudgetMs())).handle((o, e) -> {
            if (e != null) {
                return replies.beginFailed(r, e);
            }
            if (o.success()) {
                LOG.debug("begin xid={} app={} name={} timeout={}", o.xid(), ClientText.of(session.applicationId()),
                        ClientText.of(r.transactionName()), r.timeout());
            }
            return replies.begun(o);
        });
    }

    private CompletableFuture<Response> register(ClientSession session, BranchRegisterRequest r) {
        TxCommand draft = commands.register(nn(r.xid()), r.branchType(), r.resourceId(), r.lockKey(), session.clientId(),
                r.applicationData());
        return log.propose(draft, ProposalOptions.once(requestTimeoutMs)).handle((o, e) -> {
            if (e != null) {
                return replies.registerFailed(r, e);
            }
            if (o.success() && r.branchType() == BranchType.AT) {
                atResources.seen(r.resourceId());
            } else if (o.exceptionCode() == TransactionExceptionCode.LockKeyConflict
                    || o.exceptionCode() == TransactionExceptionCode.LockKeyConflictFailFast) {
                LOG.debug("lock conflict xid={} resource={} {}", ClientText.of(r.xid()), ClientText.of(r.resourceId()),
                        ClientText.of(o.message()));
            }
            return replies.registered(o);
        });
    }

    private CompletableFuture<Response> branchReport(BranchReportRequest r) {
        return log.propose(commands.report(nn(r.xid()), r.branchId(), r.status(), r.applicationData()),
                ProposalOptions.once(requestTimeoutMs))
                .handle((o, e) -> e != null ? replies.branchReportFailed(r, e) : replies.branchReported(o));
    }

    private CompletableFuture<Response> globalReport(GlobalReportRequest r) {
        if (r.globalStatus() == null) {
            return CompletableFuture.completedFuture(replies.globalReportWithoutStatus(currentStatus(r.xid())
                    .orElse(GlobalStatus.Finished)));
        }
        return log.propose(commands.reportGlobal(nn(r.xid()), r.globalStatus()), ProposalOptions.once(requestTimeoutMs))
                .handle((o, e) -> e != null ? replies.globalReportFailed(r, e) : replies.globalReported(o));
    }

    /**
     * Commit and rollback are idempotent in the state machine (a repeat returns the current status), so an
     * unknown outcome (leader change mid-flight) is settled by proposing again within the budget. A
     * decided transaction in phase two answers after the first round (or the wait); an outcome still
     * unknown after the budget is not answered.
     */
    private CompletableFuture<Response> decide(GlobalEndRequest r) {
        GlobalEndRequest.Kind kind = r.kind();
        String xid = r.xid();
        if (xid == null || xid.isEmpty()) {
            return CompletableFuture.completedFuture(replies.noSuchTransaction(kind, xid));
        }
        TxCommand draft = kind == GlobalEndRequest.Kind.COMMIT ? commands.commit(xid) : commands.rollback(xid);
        return log.propose(draft, ProposalOptions.idempotent(options.decisionBudgetMs()))
                .thenComposeAsync(o -> replies.waitsForPhaseTwo(kind, o)
                        ? phaseTwo.firstRound(xid).thenApply(round -> replies.decided(kind, o, round))
                        : CompletableFuture.completedFuture(replies.decided(kind, o, Optional.empty())), executor)
                .exceptionally(e -> {
                    throw replies.undecided(kind, xid, e);
                });
    }

    private CompletableFuture<Response> status(GlobalEndRequest r) {
        return log.readBarrier().handle((v, e) -> e != null ? replies.statusFailed(r, e)
                : replies.status(currentStatus(r.xid())));
    }

    private CompletableFuture<Response> lockQuery(GlobalLockQueryRequest r) {
        return log.readBarrier().handle((v, e) -> {
            if (e != null) {
                return replies.lockQueryFailed(r, e);
            }
            try {
                return replies.lockable(log.view().lockable(r.resourceId(), r.lockKey(), r.xid()));
            } catch (IllegalArgumentException bad) {
                return replies.lockKeyMalformed(bad.getMessage());
            }
        });
    }

    /** Live status, else the retained final status; empty for an xid never seen or purged. */
    private Optional<GlobalStatus> currentStatus(String xid) {
        if (xid == null || xid.isEmpty()) {
            return Optional.empty();
        }
        return log.view().status(xid);
    }

    private static String nn(String s) {
        return s == null ? "" : s;
    }
}
