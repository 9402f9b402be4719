package io.tessera.coordinator.control;

import io.tessera.coordinator.config.NodeConfig.Credentials;
import io.tessera.raft.tx.ControlCredentialsRecord;
import io.tessera.raft.tx.ControlRole;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a user name and password against each role's effective credentials: the ones set through the API
 * (replicated, PBKDF2-hashed) when present, else this node's configured ones. Passwords are compared in
 * constant time. A PBKDF2 check costs about 0.1 s, so {@link #authenticate} must run off the event loop.
 *
 * <p>Every Seata client logs in again every 29 minutes and after a 401, always with the same password. So
 * after a successful PBKDF2 check the role remembers an HMAC of that password under a key that lives only
 * in this process, and the next login with the same password costs one HMAC. A wrong password never
 * matches it and still pays the full PBKDF2 (and the per-source throttle).
 */
final class Authenticator {
    private record Remembered(byte[] salt, long setTime, byte[] tag) {
    }

    private final Map<ControlRole, Credentials> configured;
    private final AuthState state;
    private final SecretKeySpec rememberKey;
    private final Map<ControlRole, Remembered> remembered = new ConcurrentHashMap<>();

    Authenticator(Credentials client, Credentials admin, AuthState state) {
        this.configured = new EnumMap<>(Map.of(ControlRole.CLIENT, client, ControlRole.ADMIN, admin));
        this.state = state;
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.rememberKey = new SecretKeySpec(key, "HmacSHA256");
    }

    /** The user name that logs in with {@code role} now. */
    String username(ControlRole role) {
        return state.storedCredentials(role).map(ControlCredentialsRecord::username)
                .orElse(configured.get(role).username());
    }

    /** True when {@code role}'s credentials come from the API rather than this node's configuration. */
    boolean replicated(ControlRole role) {
        return state.storedCredentials(role).isPresent();
    }

    /** The role these credentials log in with; empty when they match none. May take ~0.1 s. */
    Optional<ControlRole> authenticate(String username, String password) {
        if (username == null || password == null) {
            return Optional.empty();
        }
        for (ControlRole role : ControlRole.values()) {
            if (constantTimeEquals(username(role), username) && passwordMatches(role, password)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }

    private boolean passwordMatches(ControlRole role, String password) {
        Optional<ControlCredentialsRecord> stored = state.storedCredentials(role);
        if (stored.isEmpty()) {
            return constantTimeEquals(configured.get(role).password(), password);
        }
        ControlCredentialsRecord c = stored.get();
        byte[] tag = tag(role, password);
        Remembered r = remembered.get(role);
        if (r != null && r.setTime() == c.setTime() && Arrays.equals(r.salt(), c.salt())
                && MessageDigest.isEqual(r.tag(), tag)) {
            return true;
        }
        boolean ok = new PasswordHash(c.salt(), c.hash(), c.iterations()).matches(password);
        if (ok) {
            remembered.put(role, new Remembered(c.salt(), c.setTime(), tag));
        }
        return ok;
    }

    private byte[] tag(ControlRole role, String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(rememberKey);
            mac.update((byte) role.ordinal());
            return mac.doFinal(password.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    static boolean constantTimeEquals(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }
}
