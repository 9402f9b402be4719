package io.tessera.raft.tx;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tessera.raft.proto.ControlCredentialsData;
import io.tessera.raft.proto.TokenKeyData;

/** Typed access to the {@code auth} table (token-signing key, API-set credentials) over a {@link Kv}. */
final class AuthTable {
    private final Kv kv;

    AuthTable(Kv kv) {
        this.kv = kv;
    }

    TokenKeyData tokenKey() {
        byte[] v = kv.get(Table.AUTH, StoreKeys.TOKEN_KEY);
        try {
            return v == null ? null : TokenKeyData.parseFrom(v);
        } catch (InvalidProtocolBufferException e) {
            throw new StoreException("undecodable stored token key", e);
        }
    }

    void putTokenKey(TokenKeyData key) {
        kv.put(Table.AUTH, StoreKeys.TOKEN_KEY, key.toByteArray());
    }

    ControlCredentialsData credentials(ControlRole role) {
        byte[] v = kv.get(Table.AUTH, StoreKeys.credentials(role));
        try {
            return v == null ? null : ControlCredentialsData.parseFrom(v);
        } catch (InvalidProtocolBufferException e) {
            throw new StoreException("undecodable stored credentials of role " + role.wireName(), e);
        }
    }

    void putCredentials(ControlRole role, ControlCredentialsData credentials) {
        kv.put(Table.AUTH, StoreKeys.credentials(role), credentials.toByteArray());
    }

    /** The whole table as the read API's immutable snapshot. */
    AuthSnapshot snapshot() {
        TokenKeyData k = tokenKey();
        TokenKeyRecord key = k == null ? null
                : new TokenKeyRecord(k.getGeneration(), k.getKey().toByteArray(), k.getSetTime(), k.getRequestedBy());
        ControlCredentialsRecord client = record(ControlRole.CLIENT);
        ControlCredentialsRecord admin = record(ControlRole.ADMIN);
        return new AuthSnapshot(key, client, admin);
    }

    private ControlCredentialsRecord record(ControlRole role) {
        ControlCredentialsData c = credentials(role);
        return c == null ? null : new ControlCredentialsRecord(role, c.getUsername(), c.getSalt().toByteArray(),
                c.getHash().toByteArray(), c.getIterations(), c.getSetTime(), c.getRequestedBy());
    }
}
