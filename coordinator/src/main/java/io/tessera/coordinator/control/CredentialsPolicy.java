package io.tessera.coordinator.control;

import io.tessera.coordinator.config.NodeConfigLoader;
import io.tessera.raft.tx.AuthLimits;
import io.tessera.raft.tx.ControlRole;
import java.util.Optional;

/**
 * What credentials set through the API must satisfy: the loader's rules for configured ones (password of
 * at least {@link NodeConfigLoader#MIN_PASSWORD_LENGTH} characters, not equal to the user name, the two
 * roles' user names different) plus bounds on the sizes that go into the replicated state.
 */
final class CredentialsPolicy {
    static final int MAX_PASSWORD_CHARS = 1_024;

    private CredentialsPolicy() {
    }

    /**
     * @param otherRoleUsername the other role's effective user name (replicated, else configured)
     * @return why the credentials are refused, phrased for the operator; empty when they are fine
     */
    static Optional<String> problem(ControlRole role, String username, String password, String otherRoleUsername) {
        if (username == null || username.isBlank()) {
            return Optional.of("username is required");
        }
        if (!username.strip().equals(username) || username.length() > AuthLimits.MAX_USERNAME_CHARS
                || username.chars().anyMatch(Character::isISOControl)) {
            return Optional.of("username must be 1.." + AuthLimits.MAX_USERNAME_CHARS
                    + " characters, without control characters or surrounding blanks");
        }
        if (password == null || password.length() < NodeConfigLoader.MIN_PASSWORD_LENGTH) {
            return Optional.of("password must have at least " + NodeConfigLoader.MIN_PASSWORD_LENGTH + " characters");
        }
        if (password.length() > MAX_PASSWORD_CHARS) {
            return Optional.of("password must have at most " + MAX_PASSWORD_CHARS + " characters");
        }
        if (password.equals(username)) {
            return Optional.of("password must not equal the username");
        }
        if (username.equals(otherRoleUsername)) {
            ControlRole other = role == ControlRole.CLIENT ? ControlRole.ADMIN : ControlRole.CLIENT;
            return Optional.of("username '" + username + "' is the " + other.wireName()
                    + " role's; the client and admin roles need different user names");
        }
        return Optional.empty();
    }
}
