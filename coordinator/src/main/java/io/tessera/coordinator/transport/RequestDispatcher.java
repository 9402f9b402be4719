package io.tessera.coordinator.transport;

import io.tessera.codec.message.Request;
import io.tessera.codec.message.Response;
import io.tessera.codec.message.ResultCode;
import io.tessera.codec.text.ClientText;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link TransactionService} calls off the event loop and guarantees an answer: the returned
 * future always completes, within the request timeout, with a response of the right type - or with null
 * for the one deliberate exception, a GlobalCommit/GlobalRollback whose outcome nobody can tell
 * ({@link AnswerWithheldException}, also when the service has not answered one by the request timeout):
 * nothing is written and the TM's own RPC timeout makes it retry. A GlobalBegin that {@link Admission}
 * refuses is answered at once, without reaching the service.
 */
final class RequestDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);

    private final TransactionService service;
    private final Executor executor;
    private final long timeoutMs;
    private final String nodeId;
    private final Admission admission;
    private final FieldLimits fields;
    private final RequestObserver observer;

    RequestDispatcher(TransactionService service, Executor executor, long timeoutMs, String nodeId,
            Admission admission, FieldLimits fields) {
        this(service, executor, timeoutMs, nodeId, admission, fields, RequestObserver.NONE);
    }

    RequestDispatcher(TransactionService service, Executor executor, long timeoutMs, String nodeId,
            Admission admission, FieldLimits fields, RequestObserver observer) {
        this.observer = observer;
        this.service = service;
        this.executor = executor;
        this.timeoutMs = timeoutMs;
        this.nodeId = nodeId;
        this.admission = admission;
        this.fields = fields;
    }

    CompletableFuture<Response> dispatch(ClientSession session, Request request) {
        long received = System.nanoTime();
        // Bounds first: an oversized request is answered here and never reaches the service or the log.
        Response oversized = fields.refusal(request);
        if (oversized != null) {
            logFailure(session, request, oversized);
            observer.answered(request, oversized, System.nanoTime() - received);
            return CompletableFuture.completedFuture(oversized);
        }
        Admission.Decision decision = admission.admit(request);
        if (decision == Admission.Decision.REFUSED) {
            Response busy = admission.busyAnswer(request);
            observer.answered(request, busy, System.nanoTime() - received);
            return CompletableFuture.completedFuture(busy);
        }
        boolean counted = decision == Admission.Decision.COUNTED;
        CompletableFuture<Response> answer = new CompletableFuture<>();
        try {
            executor.execute(() -> invoke(session, request, answer));
        } catch (RejectedExecutionException e) {
            // Never drop a request: a full or stopped pool still produces an answer (none for a decision:
            // nothing decided it, and the TM's retry may reach a node that can).
            String why = "coordinator " + nodeId + " is busy or stopping";
            if (isDecision(request)) {
                answer.completeExceptionally(new AnswerWithheldException(why));
            } else {
                answer.complete(FailedResponses.runtime(request, why));
            }
        }
        // orTimeout cancels its timer when the answer comes first; the Failed answer for a timeout is
        // only built when one happens.
        return answer.orTimeout(timeoutMs, TimeUnit.MILLISECONDS)
                .handle((response, error) -> {
                    Response out = finish(session, request, counted, response, error);
                    observer.answered(request, out, System.nanoTime() - received);
                    return out;
                });
    }

    private Response finish(ClientSession session, Request request, boolean counted, Response response,
            Throwable error) {
        if (counted) {
            admission.release();
        }
        Response out = response;
        if (out == null) {
            Throwable t = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            if (t instanceof AnswerWithheldException || t instanceof TimeoutException && isDecision(request)) {
                String why = t instanceof TimeoutException ? "no outcome within " + timeoutMs + " ms on " + nodeId
                        : t.getMessage();
                if (session.log().tryLog()) {
                    LOG.info("request {} from {} not answered, its outcome is unknown ({}); the client's own timeout"
                            + " makes it retry{}", Describe.request(request), session, ClientText.of(why, 400),
                            session.log().suppressedNote());
                }
                return null;
            }
            if (!(t instanceof TimeoutException)) {
                observer.failedWith(t);
            }
            out = t instanceof TimeoutException
                    ? FailedResponses.runtime(request, "request timed out after " + timeoutMs + " ms on " + nodeId)
                    : FailedResponses.fromThrowable(request, error);
        }
        if (out.resultCode() == ResultCode.Failed) {
            logFailure(session, request, out);
        }
        return out;
    }

    /** GlobalCommit and GlobalRollback: a Failed answer would read as final to the TM (see AnswerWithheldException). */
    private static boolean isDecision(Request request) {
        return request instanceof io.tessera.codec.message.GlobalEndRequest g
                && (g.kind() == io.tessera.codec.message.GlobalEndRequest.Kind.COMMIT
                        || g.kind() == io.tessera.codec.message.GlobalEndRequest.Kind.ROLLBACK);
    }

    private static void logFailure(ClientSession session, Request request, Response out) {
        if (session.log().tryLog()) {
            LOG.info("request {} from {} failed: {}{}", Describe.request(request), session, ClientText.of(out.msg(), 400),
                    session.log().suppressedNote());
        }
    }

    private void invoke(ClientSession session, Request request, CompletableFuture<Response> answer) {
        CompletableFuture<Response> result;
        try {
            result = service.handle(session, request);
        } catch (AnswerWithheldException e) {
            answer.completeExceptionally(e);
            return;
        } catch (RuntimeException e) {
            observer.failedWith(e);
            answer.complete(FailedResponses.fromThrowable(request, e));
            return;
        }
        if (result == null) {
            answer.complete(FailedResponses.runtime(request, "no result"));
            return;
        }
        result.whenComplete((response, error) -> {
            Throwable t = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            if (t instanceof AnswerWithheldException) {
                answer.completeExceptionally(t);
            } else if (error != null) {
                observer.failedWith(t);
                answer.complete(FailedResponses.fromThrowable(request, error));
            } else if (response == null || response.typeCode() != FailedResponses.expectedResponseType(request)) {
                // A service bug, not client input: never budgeted.
                LOG.error("service answered type {} to request type {} from {}",
                        response == null ? "null" : response.typeCode(), request.typeCode(), session);
                answer.complete(FailedResponses.runtime(request, "internal error: wrong response type"));
            } else {
                answer.complete(response);
            }
        });
    }
}
