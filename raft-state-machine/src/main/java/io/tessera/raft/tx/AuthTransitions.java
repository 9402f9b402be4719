package io.tessera.raft.tx;

import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.message.TransactionExceptionCode;
import io.tessera.codec.text.ClientText;
import io.tessera.raft.proto.ControlCredentialsData;
import io.tessera.raft.proto.SetCredentials;
import io.tessera.raft.proto.SetTokenKey;
import io.tessera.raft.proto.TokenKeyData;
import io.tessera.raft.proto.TxResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control-port auth commands: the cluster's token-signing key and API-set credentials. Like every
 * transition a pure function of (stored state, command): the random key, salt and hash came in the
 * draft, "now" is stamp_time. Rules are in docs/architecture.md, "Commands".
 */
final class AuthTransitions {
    private static final Logger LOG = LoggerFactory.getLogger(AuthTransitions.class);

    TxResult setTokenKey(SetTokenKey c, long now, TxTables t) {
        String problem = AuthLimits.tokenKeyProblem(c);
        if (problem != null) {
            return reject("SetTokenKey refused: " + problem);
        }
        AuthTable auth = new AuthTable(t.kv());
        TokenKeyData current = auth.tokenKey();
        if (current != null && c.getOnlyIfAbsent()) {
            return Results.ok("", GlobalStatus.UnKnown, false).setCount((int) current.getGeneration())
                    .setMessage("token key generation " + current.getGeneration() + " already set").build();
        }
        long generation = current == null ? 1 : current.getGeneration() + 1;
        auth.putTokenKey(TokenKeyData.newBuilder()
                .setGeneration(generation)
                .setKey(c.getKey())
                .setSetTime(now)
                .setRequestedBy(c.getRequestedBy())
                .build());
        // Never the key itself: logs travel further than the state.
        LOG.info("control token key generation {} set (requested by {}){}", generation,
                ClientText.of(c.getRequestedBy()), current == null ? "" : "; every token of generation "
                        + current.getGeneration() + " is now refused");
        return Results.ok("", GlobalStatus.UnKnown, true).setCount((int) generation)
                .setMessage("token key generation " + generation + " set").build();
    }

    TxResult setCredentials(SetCredentials c, long now, TxTables t) {
        String problem = AuthLimits.credentialsProblem(c);
        if (problem != null) {
            return reject("SetCredentials refused: " + problem);
        }
        ControlRole role = ControlRole.of(c.getRole()).orElseThrow();
        AuthTable auth = new AuthTable(t.kv());
        // Only the other role's replicated name can be checked here (configured names are node-local,
        // not state); the proposer checks the effective one before proposing.
        ControlRole other = role == ControlRole.CLIENT ? ControlRole.ADMIN : ControlRole.CLIENT;
        ControlCredentialsData otherCredentials = auth.credentials(other);
        if (otherCredentials != null && otherCredentials.getUsername().equals(c.getUsername())) {
            return reject("SetCredentials refused: the " + other.wireName() + " role already uses user name '"
                    + c.getUsername() + "'");
        }
        auth.putCredentials(role, ControlCredentialsData.newBuilder()
                .setRole(role.proto().getNumber())
                .setUsername(c.getUsername())
                .setSalt(c.getSalt())
                .setHash(c.getHash())
                .setIterations(c.getIterations())
                .setSetTime(now)
                .setRequestedBy(c.getRequestedBy())
                .build());
        LOG.info("control credentials of the {} role set through the API: user '{}' (requested by {}); they "
                + "replace the configured ones on every node", role.wireName(), ClientText.of(c.getUsername()),
                ClientText.of(c.getRequestedBy()));
        return Results.ok("", GlobalStatus.UnKnown, true)
                .setMessage(role.wireName() + " credentials set for user '" + c.getUsername() + "'").build();
    }

    private static TxResult reject(String message) {
        return Results.reject(TransactionExceptionCode.Unknown, "", GlobalStatus.UnKnown, message).build();
    }
}
