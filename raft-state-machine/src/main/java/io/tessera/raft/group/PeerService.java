package io.tessera.raft.group;

import java.util.concurrent.CompletableFuture;

/**
 * A service other members of the group can call over the raft port ({@link RaftGroup#callPeer}).
 * Called on the group's worker threads; must not block. A failed future is answered as an error.
 */
@FunctionalInterface
public interface PeerService {
    CompletableFuture<byte[]> handle(byte[] payload);
}
