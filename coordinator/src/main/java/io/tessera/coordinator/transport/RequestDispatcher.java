package io.tessera.coordinator.transport;

import io.tessera.codec.message.Request;
import io.tessera.codec.message.Response;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link TransactionService} calls off the event loop and guarantees an answer: the returned
 * future always completes, within the request timeout, with a response of the right type.
 */
final class RequestDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);

    private final TransactionService service;
    private final Executor executor;
    private final long timeoutMs;
    private final String nodeId;

    RequestDispatcher(TransactionService service, Executor executor, long timeoutMs, String nodeId) {
        this.service = service;
        this.executor = executor;
        this.timeoutMs = timeoutMs;
        this.nodeId = nodeId;
    }

    CompletableFuture<Response> dispatch(ClientSession session, Request request) {
        CompletableFuture<Response> answer = new CompletableFuture<>();
        try {
            executor.execute(() -> invoke(session, request, answer));
        } catch (RejectedExecutionException e) {
            // Never drop a request: a full or stopped pool still produces an answer.
            answer.complete(FailedResponses.runtime(request, "coordinator " + nodeId + " is busy or stopping"));
        }
        return answer.completeOnTimeout(
                FailedResponses.runtime(request, "request timed out after " + timeoutMs + " ms on " + nodeId),
                timeoutMs, TimeUnit.MILLISECONDS)
                .whenComplete((r, e) -> logOutcome(session, request, r));
    }

    private void invoke(ClientSession session, Request request, CompletableFuture<Response> answer) {
        CompletableFuture<Response> result;
        try {
            result = service.handle(session, request);
        } catch (RuntimeException e) {
            answer.complete(FailedResponses.fromThrowable(request, e));
            return;
        }
        if (result == null) {
            answer.complete(FailedResponses.runtime(request, "no result"));
            return;
        }
        result.whenComplete((response, error) -> {
            if (error != null) {
                answer.complete(FailedResponses.fromThrowable(request, error));
            } else if (response == null || response.typeCode() != FailedResponses.expectedResponseType(request)) {
                LOG.error("service answered type {} to request type {} from {}",
                        response == null ? "null" : response.typeCode(), request.typeCode(), session);
                answer.complete(FailedResponses.runtime(request, "internal error: wrong response type"));
            } else {
                answer.complete(response);
            }
        });
    }

    private void logOutcome(ClientSession session, Request request, Response response) {
        if (response != null && response.resultCode() == io.tessera.codec.message.ResultCode.Failed) {
            LOG.info("request {} from {} failed: {}", Describe.request(request), session.clientId(), response.msg());
        }
    }
}
