package io.tessera.raft.tx;

import java.util.Optional;

/**
 * The auth table after some whole applyBatch, kept in memory by {@link TxStateMachine}: the control port
 * verifies a token on every registry call, and the table changes only on SetTokenKey / SetCredentials.
 */
record AuthSnapshot(TokenKeyRecord tokenKey, ControlCredentialsRecord client, ControlCredentialsRecord admin) {
    static final AuthSnapshot EMPTY = new AuthSnapshot(null, null, null);

    Optional<ControlCredentialsRecord> credentials(ControlRole role) {
        return Optional.ofNullable(role == ControlRole.CLIENT ? client : admin);
    }
}
