package io.tessera.coordinator.control;

import io.tessera.raft.tx.ControlCredentialsRecord;
import io.tessera.raft.tx.ControlRole;
import io.tessera.raft.tx.TokenKeyRecord;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The control port's cluster-held secrets: the token-signing key and credentials set through the API.
 * In a node they are replicated state (every node applies the same key and credentials); reads are cheap
 * enough for every request and never block.
 */
public interface AuthState {

    /** The current token-signing key; empty until the cluster's first leader has set one. */
    Optional<TokenKeyRecord> tokenKey();

    /** Credentials of {@code role} set through the API; empty = the node's configured ones apply. */
    Optional<ControlCredentialsRecord> storedCredentials(ControlRole role);

    /**
     * Replaces the key by a new random one; completes with the new generation once it is applied (on the
     * leader; followers follow within their apply lag). Fails with {@link AuthChangeRefusedException}
     * for a refusal, or with the replication layer's exception.
     */
    CompletableFuture<Long> rotateTokenKey(String requestedBy);

    /** Stores credentials for {@code role} (hash computed by the caller); completes once applied. */
    CompletableFuture<Void> setCredentials(ControlRole role, String username, PasswordHash hash, String requestedBy);
}
