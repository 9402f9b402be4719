package io.tessera.coordinator.tc.adapter;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.tessera.raft.group.RaftGroup;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Typed calls between members over the raft port: each service has a protobuf request and answer
 * (src/main/proto/peer.proto); the group only carries their bytes.
 */
final class PeerCalls {
    private final RaftGroup group;

    PeerCalls(RaftGroup group) {
        this.group = group;
    }

    <Q extends MessageLite, A extends MessageLite> CompletableFuture<A> call(String peer, String service, Q request,
            Parser<A> answer, long timeoutMs) {
        return group.callPeer(peer, service, request.toByteArray(), timeoutMs).thenApply(bytes -> parse(answer, bytes));
    }

    /** Registers {@code handler} for {@code service}; call before the group starts. */
    <Q extends MessageLite, A extends MessageLite> void serve(String service, Parser<Q> request,
            Function<Q, CompletableFuture<A>> handler) {
        group.registerPeerService(service, payload -> handler.apply(parse(request, payload))
                .thenApply(MessageLite::toByteArray));
    }

    private static <T> T parse(Parser<T> parser, byte[] bytes) {
        try {
            return parser.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("malformed peer message: " + e.getMessage(), e);
        }
    }
}
