package io.tessera.raft.tx;

/**
 * Shapes the auth commands must have. The stamper refuses drafts outside them (nothing proposed); apply
 * refuses entries outside them as a business rejection (a forged or buggy entry changes nothing).
 */
public final class AuthLimits {
    /** HMAC-SHA256 key length: the hash's own output size. */
    public static final int TOKEN_KEY_BYTES = 32;
    public static final int MIN_SALT_BYTES = 16;
    public static final int MAX_SALT_BYTES = 64;
    public static final int HASH_BYTES = 32;
    /** Apply refuses weaker hashes; the proposer's constant is far above it. */
    public static final int MIN_ITERATIONS = 10_000;
    public static final int MAX_ITERATIONS = 10_000_000;
    public static final int MAX_USERNAME_CHARS = 128;
    public static final int MAX_REQUESTED_BY_CHARS = 512;

    private AuthLimits() {
    }

    /** Why a SetTokenKey body is malformed, or null. */
    static String tokenKeyProblem(io.tessera.raft.proto.SetTokenKey k) {
        if (k.getKey().size() != TOKEN_KEY_BYTES) {
            return "token key must have " + TOKEN_KEY_BYTES + " bytes, has " + k.getKey().size();
        }
        if (k.getRequestedBy().length() > MAX_REQUESTED_BY_CHARS) {
            return "requested_by longer than " + MAX_REQUESTED_BY_CHARS + " characters";
        }
        return null;
    }

    /** Why a SetCredentials body is malformed, or null. */
    static String credentialsProblem(io.tessera.raft.proto.SetCredentials c) {
        if (ControlRole.of(c.getRole()).isEmpty()) {
            return "unknown role " + c.getRoleValue();
        }
        String user = c.getUsername();
        if (user.isBlank() || !user.strip().equals(user) || user.length() > MAX_USERNAME_CHARS) {
            return "user name must be 1.." + MAX_USERNAME_CHARS + " characters without surrounding blanks";
        }
        if (c.getSalt().size() < MIN_SALT_BYTES || c.getSalt().size() > MAX_SALT_BYTES) {
            return "salt must have " + MIN_SALT_BYTES + ".." + MAX_SALT_BYTES + " bytes, has " + c.getSalt().size();
        }
        if (c.getHash().size() != HASH_BYTES) {
            return "hash must have " + HASH_BYTES + " bytes, has " + c.getHash().size();
        }
        if (c.getIterations() < MIN_ITERATIONS || c.getIterations() > MAX_ITERATIONS) {
            return "iterations must be " + MIN_ITERATIONS + ".." + MAX_ITERATIONS + ", is " + c.getIterations();
        }
        if (c.getRequestedBy().length() > MAX_REQUESTED_BY_CHARS) {
            return "requested_by longer than " + MAX_REQUESTED_BY_CHARS + " characters";
        }
        return null;
    }
}
