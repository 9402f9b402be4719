package io.tessera.coordinator.transport;

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
import io.tessera.codec.message.MessageTypes;
import io.tessera.codec.message.Request;
import io.tessera.codec.message.Response;
import io.tessera.codec.message.ResultCode;
import io.tessera.codec.message.TransactionExceptionCode;

/**
 * Builds the Failed answer of the right type for any client request (spec §9.6), so that every
 * request can be answered even when the service did not produce a response.
 *
 * <p>Global end answers always carry a globalStatus because the TM reads only that field. A refused
 * COMMIT (the request was refused before anything could decide it: malformed, not allowed) is answered
 * {@code Finished}, one of the few values the TM turns into an error ("may be rolled back") instead of
 * reporting success for a commit nobody performed. Other kinds get {@code UnKnown}, which the TM reports as
 * unknown. A commit or rollback whose outcome is unknown is not answered at all (see
 * {@link AnswerWithheldException}); what the TC answers for each outcome is its reply policy
 * ({@code tc.service.ReplyPolicy}).
 */
public final class FailedResponses {
    static final int MAX_MSG_CHARS = 2_000;

    private FailedResponses() {
    }

    /** @throws IllegalArgumentException for requests clients do not send to a TC */
    public static Response of(Request request, TransactionExceptionCode code, String msg, GlobalStatus globalStatus) {
        msg = bounded(msg);
        if (request instanceof GlobalBeginRequest) {
            return new GlobalBeginResponse(ResultCode.Failed, msg, code, null, null);
        }
        if (request instanceof GlobalEndRequest end) {
            return new GlobalEndResponse(end.kind(), ResultCode.Failed, msg, code,
                    globalStatus != null ? globalStatus : unknownOutcome(end.kind()));
        }
        if (request instanceof GlobalReportRequest) {
            return new GlobalEndResponse(GlobalEndRequest.Kind.REPORT, ResultCode.Failed, msg, code,
                    globalStatus != null ? globalStatus : GlobalStatus.UnKnown);
        }
        if (request instanceof BranchRegisterRequest) {
            return new BranchRegisterResponse(ResultCode.Failed, msg, code, 0);
        }
        if (request instanceof BranchReportRequest) {
            return new BranchReportResponse(ResultCode.Failed, msg, code);
        }
        if (request instanceof GlobalLockQueryRequest) {
            return new GlobalLockQueryResponse(ResultCode.Failed, msg, code, false);
        }
        throw new IllegalArgumentException("no client response for request type " + request.typeCode());
    }

    public static Response of(Request request, TransactionExceptionCode code, String msg) {
        return of(request, code, msg, null);
    }

    /** The Seata convention for a failure that is not a business rejection (spec §9.6). */
    public static Response runtime(Request request, String message) {
        return of(request, TransactionExceptionCode.Unknown, "RuntimeException[" + message + "]");
    }

    static Response fromThrowable(Request request, Throwable error) {
        Throwable t = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        if (t instanceof TransactionFailedException tfe) {
            return of(request, tfe.code(), "TransactionException[" + tfe.getMessage() + "]", tfe.globalStatus());
        }
        return runtime(request, t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName());
    }

    /** True for the request types a client may send to a TC and {@link #of} can answer. */
    public static boolean answerable(Request request) {
        return expectedResponseType(request) > 0;
    }

    /** The type code the answer to {@code request} must have; -1 if none. */
    public static int expectedResponseType(Request request) {
        return switch (request.typeCode()) {
            case MessageTypes.GLOBAL_BEGIN -> MessageTypes.GLOBAL_BEGIN_RESULT;
            case MessageTypes.GLOBAL_COMMIT -> MessageTypes.GLOBAL_COMMIT_RESULT;
            case MessageTypes.GLOBAL_ROLLBACK -> MessageTypes.GLOBAL_ROLLBACK_RESULT;
            case MessageTypes.GLOBAL_STATUS -> MessageTypes.GLOBAL_STATUS_RESULT;
            case MessageTypes.GLOBAL_REPORT -> MessageTypes.GLOBAL_REPORT_RESULT;
            case MessageTypes.BRANCH_REGISTER -> MessageTypes.BRANCH_REGISTER_RESULT;
            case MessageTypes.BRANCH_STATUS_REPORT -> MessageTypes.BRANCH_STATUS_REPORT_RESULT;
            case MessageTypes.GLOBAL_LOCK_QUERY -> MessageTypes.GLOBAL_LOCK_QUERY_RESULT;
            default -> -1;
        };
    }

    /** The SEATA codec writes msg with a signed 16-bit length (spec §6.7); stay far below it. */
    static String bounded(String msg) {
        return msg != null && msg.length() > MAX_MSG_CHARS ? msg.substring(0, MAX_MSG_CHARS) + "..." : msg;
    }

    private static GlobalStatus unknownOutcome(GlobalEndRequest.Kind kind) {
        return kind == GlobalEndRequest.Kind.COMMIT ? GlobalStatus.Finished : GlobalStatus.UnKnown;
    }
}
