package io.tessera.coordinator.control;

import io.tessera.raft.tx.AuthLimits;
import io.tessera.raft.tx.ControlCredentialsRecord;
import io.tessera.raft.tx.ControlRole;
import io.tessera.raft.tx.TokenKeyRecord;
import java.security.SecureRandom;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@link AuthState} held in this process only: for a control port without a Raft group (front-end tests,
 * tools). Its key and credentials are valid on this node alone.
 */
public final class LocalAuthState implements AuthState {
    private final SecureRandom random = new SecureRandom();
    private final Map<ControlRole, ControlCredentialsRecord> credentials = new EnumMap<>(ControlRole.class);
    private TokenKeyRecord key;

    /** @param withKey false = a cluster whose first leader has not set a key yet (login answers "not ready") */
    public LocalAuthState(boolean withKey) {
        if (withKey) {
            rotateTokenKey("local");
        }
    }

    @Override
    public synchronized Optional<TokenKeyRecord> tokenKey() {
        return Optional.ofNullable(key);
    }

    @Override
    public synchronized Optional<ControlCredentialsRecord> storedCredentials(ControlRole role) {
        return Optional.ofNullable(credentials.get(role));
    }

    @Override
    public synchronized CompletableFuture<Long> rotateTokenKey(String requestedBy) {
        byte[] bytes = new byte[AuthLimits.TOKEN_KEY_BYTES];
        random.nextBytes(bytes);
        key = new TokenKeyRecord(key == null ? 1 : key.generation() + 1, bytes, System.currentTimeMillis(), requestedBy);
        return CompletableFuture.completedFuture(key.generation());
    }

    @Override
    public synchronized CompletableFuture<Void> setCredentials(ControlRole role, String username, PasswordHash hash,
            String requestedBy) {
        credentials.put(role, new ControlCredentialsRecord(role, username, hash.salt(), hash.hash(), hash.iterations(),
                System.currentTimeMillis(), requestedBy));
        return CompletableFuture.completedFuture(null);
    }
}
