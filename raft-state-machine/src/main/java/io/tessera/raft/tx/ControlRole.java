package io.tessera.raft.tx;

import java.util.Locale;
import java.util.Optional;

/**
 * The two roles of the control (HTTP) port. {@link #CLIENT} is what every Seata client carries (registry
 * metadata and watch); {@link #ADMIN} is the operator's (backup, key rotation, credentials, every
 * console or mutating endpoint). An admin token may also do everything a client token may.
 */
public enum ControlRole {
    CLIENT(io.tessera.raft.proto.ControlRole.CLIENT),
    ADMIN(io.tessera.raft.proto.ControlRole.ADMIN);

    private final io.tessera.raft.proto.ControlRole proto;

    ControlRole(io.tessera.raft.proto.ControlRole proto) {
        this.proto = proto;
    }

    /** "client" / "admin": the name in URLs, JSON bodies, CLI flags and store keys. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True when a token of this role may call a route that needs {@code required}. */
    public boolean covers(ControlRole required) {
        return this == ADMIN || this == required;
    }

    public static Optional<ControlRole> ofWireName(String name) {
        for (ControlRole r : values()) {
            if (r.wireName().equals(name)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    io.tessera.raft.proto.ControlRole proto() {
        return proto;
    }

    static Optional<ControlRole> of(io.tessera.raft.proto.ControlRole proto) {
        for (ControlRole r : values()) {
            if (r.proto == proto) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
