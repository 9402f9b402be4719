package io.tessera.coordinator.control;

import io.tessera.coordinator.config.NodeConfig.Credentials;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Login and bearer tokens for Seata's raft registry API. Without configured credentials every login
 * succeeds and metadata calls need no token (Seata clients with blank credentials never log in).
 * Tokens are random, node-local and expire after {@link #TOKEN_LIFETIME}; clients log in again before
 * 29 minutes or after a 401.
 */
public final class TokenAuthority {
    static final Duration TOKEN_LIFETIME = Duration.ofMinutes(30);
    private static final String BEARER = "Bearer ";

    private final Optional<Credentials> credentials;
    private final LongSupplier nanoClock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Long> expiryByToken = new ConcurrentHashMap<>();

    public TokenAuthority(Optional<Credentials> credentials, LongSupplier nanoClock) {
        this.credentials = credentials;
        this.nanoClock = nanoClock;
    }

    public boolean enabled() {
        return credentials.isPresent();
    }

    /** @return "Bearer &lt;token&gt;" on success */
    public Optional<String> login(String username, String password) {
        if (credentials.isPresent() && !(constantTimeEquals(credentials.get().username(), username)
                & constantTimeEquals(credentials.get().password(), password))) {
            return Optional.empty();
        }
        long now = nanoClock.getAsLong();
        expiryByToken.values().removeIf(expiry -> expiry - now < 0);
        byte[] raw = new byte[24];
        random.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        expiryByToken.put(token, now + TOKEN_LIFETIME.toNanos());
        return Optional.of(BEARER + token);
    }

    /** @param authorizationHeader the raw header value, may be null */
    public boolean authorized(String authorizationHeader) {
        if (credentials.isEmpty()) {
            return true;
        }
        if (authorizationHeader == null || !authorizationHeader.startsWith(BEARER)) {
            return false;
        }
        Long expiry = expiryByToken.get(authorizationHeader.substring(BEARER.length()).trim());
        return expiry != null && expiry - nanoClock.getAsLong() > 0;
    }

    private static boolean constantTimeEquals(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }
}
