package io.tessera.raft.tx;

/**
 * Credentials of one control-port role set through the admin API (SetCredentials): the user name and a
 * PBKDF2-HMAC-SHA256 hash of the password, never the password.
 */
public record ControlCredentialsRecord(ControlRole role, String username, byte[] salt, byte[] hash, int iterations,
        long setTime, String requestedBy) {
    public ControlCredentialsRecord {
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

    @Override
    public String toString() {
        return "ControlCredentialsRecord[" + role + ", user=" + username + ", setTime=" + setTime + ", requestedBy="
                + requestedBy + "]";
    }
}
