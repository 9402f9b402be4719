package io.tessera.coordinator.transport;

import io.tessera.codec.message.GlobalEndRequest;
import io.tessera.codec.message.MergedWarpMessage;
import io.tessera.codec.message.Request;
import io.tessera.codec.message.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Answers every sub-request of a MergedWarpMessage (spec §9.4). Style C (one response per
 * sub-request, with the sub-request's id) for clients ≥ 2.3.0, like the reference TC; style A (one
 * MergeResultMessage with the batch frame's id, same order and count) for older or unparseable
 * versions. A batch from an RM that contains a GlobalStatus is always answered in style A: the RM
 * has no handler for a plain GlobalStatusResponse (§9.4.5). Style B is never used, so A and B never
 * mix on a connection.
 */
final class BatchResponder {
    private final RequestDispatcher dispatcher;

    BatchResponder(RequestDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    void answer(ClientSession session, int frameId, MergedWarpMessage batch) {
        List<CompletableFuture<Response>> results = new ArrayList<>(batch.msgs().size());
        for (Request sub : batch.msgs()) {
            results.add(dispatcher.dispatch(session, sub));
        }
        if (individually(session, batch)) {
            for (int i = 0; i < results.size(); i++) {
                int subId = batch.msgIds().get(i);
                Request sub = batch.msgs().get(i);
                results.get(i).thenAccept(r -> ResponseWriter.write(session, subId, sub, r));
            }
        } else {
            // Every dispatch future completes (at the latest on the request timeout), so this always fires.
            CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenRun(() -> {
                List<Response> ordered = new ArrayList<>(results.size());
                for (CompletableFuture<Response> r : results) {
                    ordered.add(r.join());
                }
                ResponseWriter.writeMerged(session, frameId, batch.msgs(), ordered);
            });
        }
    }

    static boolean individually(ClientSession session, MergedWarpMessage batch) {
        if (!session.version().atLeast(ClientVersion.V2_3_0)) {
            return false;
        }
        if (session.role() != ClientRole.RM) {
            return true;
        }
        for (Request r : batch.msgs()) {
            if (r instanceof GlobalEndRequest g && g.kind() == GlobalEndRequest.Kind.STATUS) {
                return false;
            }
        }
        return true;
    }
}
