package io.tessera.coordinator.control;

import io.tessera.raft.tx.AuthLimits;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.KeySpec;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PBKDF2-HMAC-SHA256 of a control-port password, as replicated by SetCredentials. Computed by the
 * proposing node (never by apply) and checked by every node at login.
 *
 * <p>{@link #ITERATIONS}: 100,000 keeps one check near 0.1 s on a busy 2-core node, well inside the 1 s
 * that Seata's raft registry client gives its login call; the stored hash is only readable by whoever
 * holds the state itself (disk, backup archive), which already includes the token key. The count
 * travels in the command, so it can be raised later without a format change.
 */
public record PasswordHash(byte[] salt, byte[] hash, int iterations) {
    public static final int ITERATIONS = 100_000;
    private static final int SALT_BYTES = 16;

    public PasswordHash {
        salt = salt.clone();
        hash = hash.clone();
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    /** A fresh salt from {@code random} and the hash of {@code password} with {@link #ITERATIONS}. */
    public static PasswordHash create(String password, SecureRandom random) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return new PasswordHash(salt, derive(password, salt, ITERATIONS), ITERATIONS);
    }

    /** Constant-time comparison of the derived bytes; takes as long as one hash. */
    public boolean matches(String password) {
        return password != null && MessageDigest.isEqual(hash, derive(password, salt, iterations));
    }

    static byte[] derive(String password, byte[] salt, int iterations) {
        KeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, AuthLimits.HASH_BYTES * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "PasswordHash[iterations=" + iterations + "]";
    }
}
