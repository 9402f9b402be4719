package io.tessera.coordinator.transport;

import io.tessera.codec.message.Request;
import io.tessera.codec.message.Response;
import java.util.concurrent.CompletableFuture;

/**
 * Turns one client request into its answer. Called on the front end's request executor, never on a
 * Netty event loop; may complete the future on any thread.
 *
 * <p>Requests handed in: GlobalBegin, GlobalCommit/Rollback/Status ({@code GlobalEndRequest}),
 * GlobalReport, BranchRegister, BranchReport, GlobalLockQuery (each also when it arrived inside a
 * batch). Registration and heartbeats never reach the service.
 *
 * <p>The response must be the matching type (GlobalBegin → GlobalBeginResponse, GlobalEndRequest of
 * kind K → GlobalEndResponse of kind K, GlobalReport → GlobalEndResponse of kind REPORT, …). A
 * future completed exceptionally becomes a Failed response: {@link TransactionFailedException}
 * keeps its code, anything else is reported as code Unknown. A future not completed within the
 * request timeout is answered Failed by the front end.
 */
@FunctionalInterface
public interface TransactionService {
    CompletableFuture<Response> handle(ClientSession session, Request request);
}
