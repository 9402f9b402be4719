package io.tessera.coordinator.tc.service;

import io.tessera.codec.message.BranchRegisterResponse;
import io.tessera.codec.message.BranchReportResponse;
import io.tessera.codec.message.GlobalBeginResponse;
import io.tessera.codec.message.GlobalEndRequest;
import io.tessera.codec.message.GlobalEndRequest.Kind;
import io.tessera.codec.message.GlobalEndResponse;
import io.tessera.codec.message.GlobalLockQueryResponse;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.message.Request;
import io.tessera.codec.message.Response;
import io.tessera.codec.message.ResultCode;
import io.tessera.codec.message.TransactionExceptionCode;
import io.tessera.coordinator.tc.port.TxLogException;
import io.tessera.coordinator.transport.AnswerWithheldException;
import io.tessera.coordinator.transport.FailedResponses;
import io.tessera.coordinator.transport.TransactionFailedException;
import io.tessera.raft.tx.TxOutcome;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * What a TM or RM hears for each outcome of its request: the one place that decides it. The state machine
 * reports true statuses; this class turns them into answers a Seata client reads correctly.
 *
 * <p>The rule behind every GlobalCommit/GlobalRollback answer: a Seata TM reads only the answer's
 * status and treats each value as final. After a commit it raises an error only for {@code Finished}
 * ("may be rolled back") and the timeout statuses, and takes everything else - even CommitFailed - as
 * success; it retries only when its RPC fails. Hence:
 * <ul>
 *   <li>a decided transaction is answered with a status that tells the truth about the decision;</li>
 *   <li>a commit of a transaction decided the other way hears {@code Finished}, never a rollback status
 *       the TM would take for success (the timeout statuses stay: the TM reports them as a timeout);</li>
 *   <li>an <b>undecided</b> transaction - the decision's outcome is unknown after the decision budget (no
 *       leader, leadership changed with it in flight) - hears nothing ({@link AnswerWithheldException}):
 *       no status is not final-looking, and the TM's own RPC timeout makes it retry.</li>
 * </ul>
 * The full table is in docs/architecture.md, "Replies".
 */
public final class ReplyPolicy {

    // ---- GlobalBegin ----

    public Response begun(TxOutcome o) {
        if (!o.success()) {
            return new GlobalBeginResponse(ResultCode.Failed, "TransactionException[" + o.message() + "]",
                    code(o, TransactionExceptionCode.BeginFailed), null, null);
        }
        return new GlobalBeginResponse(ResultCode.Success, null, TransactionExceptionCode.Unknown, o.xid(), null);
    }

    /** The begin could not be settled: the TM fails the transaction before it exists for it. */
    public Response beginFailed(Request request, Throwable error) {
        return failure(request, error, TransactionExceptionCode.BeginFailed, null);
    }

    // ---- BranchRegister / BranchReport (RM) ----

    public Response registered(TxOutcome o) {
        if (!o.success()) {
            return new BranchRegisterResponse(ResultCode.Failed, o.message(), o.exceptionCode(), 0);
        }
        return new BranchRegisterResponse(ResultCode.Success, null, TransactionExceptionCode.Unknown, o.branchId());
    }

    /**
     * A register whose outcome is unknown cannot be repeated blindly (it might register a second branch):
     * the RM hears the failure (its message names the reason, e.g. LEADERSHIP_CHANGED), fails its local
     * transaction, and the TM rolls back.
     */
    public Response registerFailed(Request request, Throwable error) {
        return failure(request, error, TransactionExceptionCode.BranchRegisterFailed, null);
    }

    public Response branchReported(TxOutcome o) {
        if (!o.success()) {
            return new BranchReportResponse(ResultCode.Failed, o.message(), o.exceptionCode());
        }
        return new BranchReportResponse(ResultCode.Success, null, TransactionExceptionCode.Unknown);
    }

    public Response branchReportFailed(Request request, Throwable error) {
        return failure(request, error, TransactionExceptionCode.BranchReportFailed, null);
    }

    // ---- GlobalCommit / GlobalRollback ----

    /**
     * Whether the answer to a decision waits for the first round of phase two (as Seata's TC does): yes
     * while phase two is running and has not yet failed; not for AsyncCommitting, whose branches commit in
     * the background (Seata answers Committed at once).
     */
    public boolean waitsForPhaseTwo(Kind kind, TxOutcome decided) {
        GlobalStatus s = decided.globalStatus();
        return decided.success() && s.isPhaseTwo() && !s.isRetrying()
                && !(kind == Kind.COMMIT && s == GlobalStatus.AsyncCommitting);
    }

    /**
     * The answer to a decision whose outcome is known.
     *
     * @param firstRound how the first phase-two round ended, when the answer waited for it and it ended in
     *     time (a final, retrying or parked status, or Committed when every RM confirmed)
     */
    public Response decided(Kind kind, TxOutcome o, Optional<GlobalStatus> firstRound) {
        GlobalStatus s = o.globalStatus();
        if (!o.success()) {
            return new GlobalEndResponse(kind, ResultCode.Failed, o.message(), o.exceptionCode(), rejectedStatus(kind, s));
        }
        GlobalStatus heard = firstRound.filter(r -> s.isPhaseTwo()).orElse(s);
        if (kind == Kind.COMMIT && heard == GlobalStatus.AsyncCommitting) {
            // Seata answers Committed for AT: the decision is durable, the branches commit in the background.
            heard = GlobalStatus.Committed;
        }
        return new GlobalEndResponse(kind, ResultCode.Success, null, TransactionExceptionCode.Unknown, heard);
    }

    /** An xid the request did not even name. */
    public Response noSuchTransaction(Kind kind, String xid) {
        return new GlobalEndResponse(kind, ResultCode.Failed, "Could not found global transaction xid = " + xid,
                TransactionExceptionCode.GlobalTransactionNotExist, GlobalStatus.Finished);
    }

    /**
     * A decision whose outcome is unknown once its budget is spent: nothing is answered, because every
     * status would read as final to the TM, while its RPC timeout makes it ask again.
     *
     * @return the exception to fail the request's future with
     */
    public AnswerWithheldException undecided(Kind kind, String xid, Throwable error) {
        return new AnswerWithheldException((kind == Kind.COMMIT ? "GlobalCommit" : "GlobalRollback") + " of " + xid
                + ": outcome unknown (" + why(error) + ")");
    }

    /**
     * A refused decision carries the transaction's true status in {@code s}; what the TM hears for it: a
     * commit of a transaction being (or already) rolled back hears Finished - the only status, besides the
     * timeout ones, that a TM does not take for a successful commit - and the timeout statuses as they are
     * (the TM reports a timeout); everything else as it is.
     */
    private static GlobalStatus rejectedStatus(Kind kind, GlobalStatus s) {
        if (kind == Kind.COMMIT && s.isRollbackDecided() && !s.isTimeoutRollback()) {
            return GlobalStatus.Finished;
        }
        return s;
    }

    // ---- GlobalStatus ----

    /** Live status, else the retained final status, else Finished (Seata's answer for an unknown xid). */
    public Response status(Optional<GlobalStatus> known) {
        return new GlobalEndResponse(Kind.STATUS, ResultCode.Success, null, TransactionExceptionCode.Unknown,
                known.orElse(GlobalStatus.Finished));
    }

    /** No linearizable read was possible: UnKnown, which the TM does not take for any outcome. */
    public Response statusFailed(Request request, Throwable error) {
        return failure(request, error, TransactionExceptionCode.IO, GlobalStatus.UnKnown);
    }

    // ---- GlobalReport (Saga) ----

    public Response globalReported(TxOutcome o) {
        if (!o.success()) {
            return new GlobalEndResponse(Kind.REPORT, ResultCode.Failed, o.message(), o.exceptionCode(), o.globalStatus());
        }
        return new GlobalEndResponse(Kind.REPORT, ResultCode.Success, null, TransactionExceptionCode.Unknown,
                o.globalStatus());
    }

    public Response globalReportWithoutStatus(GlobalStatus current) {
        return new GlobalEndResponse(Kind.REPORT, ResultCode.Failed, "GlobalReport without a status",
                TransactionExceptionCode.GlobalTransactionStatusInvalid, current);
    }

    public Response globalReportFailed(Request request, Throwable error) {
        return failure(request, error, TransactionExceptionCode.IO, GlobalStatus.UnKnown);
    }

    // ---- GlobalLockQuery ----

    public Response lockable(boolean lockable) {
        return new GlobalLockQueryResponse(ResultCode.Success, null, TransactionExceptionCode.Unknown, lockable);
    }

    public Response lockKeyMalformed(String why) {
        return new GlobalLockQueryResponse(ResultCode.Failed, why, TransactionExceptionCode.LockableCheckFailed, false);
    }

    public Response lockQueryFailed(Request request, Throwable error) {
        return failure(request, error, TransactionExceptionCode.LockableCheckFailed, null);
    }

    // ---- refusals before anything is proposed ----

    /**
     * A request refused before it reached the log (client authentication: not the transaction's owner; an
     * xid unknown even after a read barrier). Nothing was done: a commit hears Finished (not done, the TM
     * reports an error), other kinds UnKnown, unless the refusal names the transaction's status.
     */
    public Response refused(Request request, TransactionFailedException refusal) {
        return failed(request, refusal.code(), refusal.getMessage(), refusal.globalStatus());
    }

    private static Response failure(Request request, Throwable error, TransactionExceptionCode code, GlobalStatus status) {
        Throwable t = unwrap(error);
        if (t instanceof TransactionFailedException tfe) {
            return failed(request, tfe.code(), tfe.getMessage(), tfe.globalStatus() != null ? tfe.globalStatus() : status);
        }
        return failed(request, code, why(t), status);
    }

    private static Response failed(Request request, TransactionExceptionCode code, String message, GlobalStatus status) {
        return FailedResponses.of(request, code, "TransactionException[" + message + "]", status);
    }

    private static TransactionExceptionCode code(TxOutcome o, TransactionExceptionCode fallback) {
        return o.exceptionCode() == TransactionExceptionCode.Unknown ? fallback : o.exceptionCode();
    }

    private static String why(Throwable error) {
        Throwable t = unwrap(error);
        if (t instanceof TimeoutException) {
            return "timed out";
        }
        return t instanceof TxLogException || t.getMessage() != null ? String.valueOf(t.getMessage()) : t.toString();
    }

    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** GlobalCommit or GlobalRollback. */
    static boolean isDecision(GlobalEndRequest r) {
        return r.kind() == Kind.COMMIT || r.kind() == Kind.ROLLBACK;
    }
}
