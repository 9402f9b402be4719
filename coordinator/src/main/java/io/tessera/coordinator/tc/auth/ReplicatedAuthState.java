package io.tessera.coordinator.tc.auth;

import io.tessera.coordinator.control.AuthChangeRefusedException;
import io.tessera.coordinator.control.AuthState;
import io.tessera.coordinator.control.PasswordHash;
import io.tessera.coordinator.tc.port.TxLog;
import io.tessera.raft.group.ProposalOptions;
import io.tessera.raft.tx.AuthLimits;
import io.tessera.raft.tx.ControlCredentialsRecord;
import io.tessera.raft.tx.ControlRole;
import io.tessera.raft.tx.TokenKeyRecord;
import io.tessera.raft.tx.TxCommands;
import io.tessera.raft.tx.TxOutcome;
import io.tessera.raft.tx.TxView;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The control port's secrets as replicated state: reads come from this replica's applied state, changes
 * are proposed as SetTokenKey / SetCredentials. This node is the proposer, so the random key (and, in
 * the credentials route, the salt and hash) are drawn here and travel in the command; apply only stores
 * them, on every replica alike.
 */
public final class ReplicatedAuthState implements AuthState {
    private final TxLog log;
    private final TxView view;
    private final TxCommands commands;
    private final long timeoutMs;
    private final SecureRandom random = new SecureRandom();

    /** @param timeoutMs how long one change may take to apply (it is proposed once: a repeat would rotate again) */
    public ReplicatedAuthState(TxLog log, TxCommands commands, long timeoutMs) {
        this.log = log;
        this.view = log.view();
        this.commands = commands;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public Optional<TokenKeyRecord> tokenKey() {
        return view.tokenKey();
    }

    @Override
    public Optional<ControlCredentialsRecord> storedCredentials(ControlRole role) {
        return view.controlCredentials(role);
    }

    @Override
    public CompletableFuture<Long> rotateTokenKey(String requestedBy) {
        return proposeKey(requestedBy, false);
    }

    /** The first leader's key: applied only while the cluster has none (completes with the current generation). */
    CompletableFuture<Long> createFirstKey(String requestedBy) {
        return proposeKey(requestedBy, true);
    }

    private CompletableFuture<Long> proposeKey(String requestedBy, boolean onlyIfAbsent) {
        byte[] key = new byte[AuthLimits.TOKEN_KEY_BYTES];
        random.nextBytes(key);
        return log.propose(commands.setTokenKey(key, requestedBy, onlyIfAbsent), ProposalOptions.once(timeoutMs))
                .thenApply(o -> (long) accepted(o).count());
    }

    @Override
    public CompletableFuture<Void> setCredentials(ControlRole role, String username, PasswordHash hash,
            String requestedBy) {
        return log.propose(commands.setCredentials(role, username, hash.salt(), hash.hash(), hash.iterations(),
                requestedBy), ProposalOptions.once(timeoutMs)).thenApply(o -> {
                    accepted(o);
                    return null;
                });
    }

    private static TxOutcome accepted(TxOutcome o) {
        if (!o.success()) {
            throw new AuthChangeRefusedException(o.message());
        }
        return o;
    }
}
