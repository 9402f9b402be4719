package io.tessera.coordinator.control;

import io.tessera.coordinator.config.NodeConfig.Credentials;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Login and bearer tokens for Seata's raft registry API. Without configured credentials every login
 * succeeds and metadata calls need no token (Seata clients with blank credentials never log in).
 *
 * <p>Tokens must be valid on every node: Seata's raft registry client logs in on one node and then
 * sends that token to all of them (its watch goes to a follower). So a token is self-contained and
 * signed — {@code payload.signature} with payload = expiry (epoch ms) + random bytes and signature =
 * HMAC-SHA256 under a key derived from the cluster's credentials, which every node is configured with.
 * Tokens expire after {@link #TOKEN_LIFETIME}; clients log in again before 29 minutes or after a 401.
 */
public final class TokenAuthority {
    static final Duration TOKEN_LIFETIME = Duration.ofMinutes(30);
    private static final String BEARER = "Bearer ";
    private static final String MAC = "HmacSHA256";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final Optional<Credentials> credentials;
    private final LongSupplier epochMillis;
    private final SecureRandom random = new SecureRandom();
    private final SecretKeySpec key;

    /** @param epochMillis wall clock; tokens carry their expiry, so nodes must roughly agree on time */
    public TokenAuthority(Optional<Credentials> credentials, LongSupplier epochMillis) {
        this.credentials = credentials;
        this.epochMillis = epochMillis;
        this.key = credentials.map(TokenAuthority::deriveKey).orElse(null);
    }

    private static SecretKeySpec deriveKey(Credentials c) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("tessera registry token v1\0".getBytes(StandardCharsets.UTF_8));
            sha.update(c.username().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(c.password().getBytes(StandardCharsets.UTF_8));
            return new SecretKeySpec(sha.digest(), MAC);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
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
        byte[] payload = ByteBuffer.allocate(8 + 16).putLong(epochMillis.getAsLong() + TOKEN_LIFETIME.toMillis())
                .put(randomBytes(16)).array();
        String body = B64.encodeToString(payload);
        return Optional.of(BEARER + body + "." + (key == null ? "" : B64.encodeToString(sign(payload))));
    }

    /** @param authorizationHeader the raw header value, may be null */
    public boolean authorized(String authorizationHeader) {
        if (credentials.isEmpty()) {
            return true;
        }
        if (authorizationHeader == null || !authorizationHeader.startsWith(BEARER)) {
            return false;
        }
        String token = authorizationHeader.substring(BEARER.length()).trim();
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        try {
            byte[] payload = B64D.decode(token.substring(0, dot));
            byte[] signature = B64D.decode(token.substring(dot + 1));
            if (payload.length != 24 || !MessageDigest.isEqual(sign(payload), signature)) {
                return false;
            }
            return ByteBuffer.wrap(payload).getLong() - epochMillis.getAsLong() > 0;
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    private byte[] sign(byte[] payload) {
        try {
            Mac mac = Mac.getInstance(MAC);
            mac.init(key);
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static boolean constantTimeEquals(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }
}
