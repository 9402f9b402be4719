package io.tessera.coordinator.control;

import io.tessera.raft.tx.ControlRole;
import io.tessera.raft.tx.TokenKeyRecord;
import java.nio.BufferUnderflowException;
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
 * Bearer tokens of the control port, signed with the cluster's token key ({@link AuthState#tokenKey()}).
 *
 * <p>Seata's raft registry client logs in on one node and sends the token to every node (its watch goes
 * to a follower), so a token is self-contained: {@code Bearer base64url(payload).base64url(HMAC-SHA256(key,
 * payload))} with payload = version (1 byte, 2), key generation (8), role (1), expiry epoch ms (8),
 * nonce (16 random bytes), user name length (2) and UTF-8 bytes. Every node holds the same key because it
 * is replicated state; another cluster has another random key, so its tokens (also with the same
 * credentials) do not verify here, and a captured token says nothing about the password. Only the current
 * generation verifies: rotating the key revokes every token. Tokens expire after {@link #TOKEN_LIFETIME};
 * Seata's client logs in again after 29 minutes or after a 401.
 */
public final class TokenAuthority {
    static final Duration TOKEN_LIFETIME = Duration.ofMinutes(30);
    static final String BEARER = "Bearer ";
    private static final byte VERSION = 2;
    private static final int FIXED_BYTES = 1 + 8 + 1 + 8 + 16 + 2;
    private static final int MAX_TOKEN_CHARS = 8_192;
    private static final String MAC = "HmacSHA256";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    /** What a presented token is worth. */
    enum Status { VALID, MISSING, MALFORMED, BAD_SIGNATURE, OTHER_GENERATION, EXPIRED, NO_KEY }

    /** @param role and {@code username}: set only when VALID */
    record Verdict(Status status, ControlRole role, String username, String reason) {
        boolean valid() {
            return status == Status.VALID;
        }
    }

    private final AuthState state;
    private final LongSupplier epochMillis;
    private final SecureRandom random = new SecureRandom();

    /** @param epochMillis wall clock; tokens carry their expiry, so nodes must roughly agree on time */
    public TokenAuthority(AuthState state, LongSupplier epochMillis) {
        this.state = state;
        this.epochMillis = epochMillis;
    }

    /** True once the cluster has a key, i.e. login can issue tokens. */
    boolean ready() {
        return state.tokenKey().isPresent();
    }

    /** @return "Bearer &lt;token&gt;", or empty before the cluster has a key */
    Optional<String> issue(ControlRole role, String username) {
        Optional<TokenKeyRecord> key = state.tokenKey();
        if (key.isEmpty()) {
            return Optional.empty();
        }
        byte[] user = username.getBytes(StandardCharsets.UTF_8);
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        byte[] payload = ByteBuffer.allocate(FIXED_BYTES + user.length)
                .put(VERSION)
                .putLong(key.get().generation())
                .put((byte) (role.ordinal() + 1))
                .putLong(epochMillis.getAsLong() + TOKEN_LIFETIME.toMillis())
                .put(nonce)
                .putShort((short) user.length)
                .put(user)
                .array();
        return Optional.of(BEARER + B64.encodeToString(payload) + "." + B64.encodeToString(sign(key.get(), payload)));
    }

    /** @param authorizationHeader the raw header value, may be null */
    Verdict verify(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            return refused(Status.MISSING, "no token: log in at /api/v1/auth/login and send Authorization: Bearer <token>");
        }
        if (!authorizationHeader.startsWith(BEARER) || authorizationHeader.length() > MAX_TOKEN_CHARS) {
            return refused(Status.MALFORMED, "malformed token");
        }
        Optional<TokenKeyRecord> key = state.tokenKey();
        if (key.isEmpty()) {
            return refused(Status.NO_KEY, "this node has no token key yet; log in again shortly");
        }
        String token = authorizationHeader.substring(BEARER.length()).trim();
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return refused(Status.MALFORMED, "malformed token");
        }
        try {
            byte[] payload = B64D.decode(token.substring(0, dot));
            byte[] signature = B64D.decode(token.substring(dot + 1));
            ByteBuffer b = ByteBuffer.wrap(payload);
            if (payload.length < FIXED_BYTES || b.get() != VERSION) {
                return refused(Status.MALFORMED, "malformed token");
            }
            long generation = b.getLong();
            if (generation != key.get().generation()) {
                // Without the old key its signature cannot be checked; either way the token is refused.
                return refused(Status.OTHER_GENERATION, "token key generation " + generation
                        + " is not the current one (" + key.get().generation() + "): the key was rotated; log in again");
            }
            if (!MessageDigest.isEqual(sign(key.get(), payload), signature)) {
                return refused(Status.BAD_SIGNATURE, "invalid token");
            }
            int roleCode = b.get();
            long expiry = b.getLong();
            b.position(b.position() + 16);
            int userLength = b.getShort() & 0xffff;
            if (roleCode < 1 || roleCode > ControlRole.values().length || userLength != b.remaining()) {
                return refused(Status.MALFORMED, "malformed token");
            }
            if (expiry - epochMillis.getAsLong() <= 0) {
                return refused(Status.EXPIRED, "token expired; log in again");
            }
            byte[] user = new byte[userLength];
            b.get(user);
            return new Verdict(Status.VALID, ControlRole.values()[roleCode - 1], new String(user, StandardCharsets.UTF_8),
                    "");
        } catch (IllegalArgumentException | BufferUnderflowException malformed) {
            return refused(Status.MALFORMED, "malformed token");
        }
    }

    private static Verdict refused(Status status, String reason) {
        return new Verdict(status, null, null, reason);
    }

    private static byte[] sign(TokenKeyRecord key, byte[] payload) {
        try {
            Mac mac = Mac.getInstance(MAC);
            mac.init(new SecretKeySpec(key.key(), MAC));
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}
