package io.tessera.coordinator;

import io.tessera.codec.message.Request;
import io.tessera.codec.message.Response;
import io.tessera.codec.message.TransactionExceptionCode;
import io.tessera.coordinator.transport.ClientSession;
import io.tessera.coordinator.transport.FailedResponses;
import io.tessera.coordinator.transport.TransactionService;
import java.util.concurrent.CompletableFuture;

/**
 * What a node answers while it has no transaction state machine wired in: every request fails with
 * a clear message (clients see "not ready" instead of a hang). Replaced by the Raft-backed service.
 */
final class NotReadyTransactionService implements TransactionService {
    private final String nodeId;

    NotReadyTransactionService(String nodeId) {
        this.nodeId = nodeId;
    }

    @Override
    public CompletableFuture<Response> handle(ClientSession session, Request request) {
        return CompletableFuture.completedFuture(FailedResponses.of(request, TransactionExceptionCode.FailedStore,
                "TransactionException[node " + nodeId + " has no transaction state yet]"));
    }
}
