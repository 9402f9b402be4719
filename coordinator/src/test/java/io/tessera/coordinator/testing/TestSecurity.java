package io.tessera.coordinator.testing;

import io.tessera.coordinator.config.NodeConfig.Credentials;
import io.tessera.coordinator.config.NodeConfig.Security;
import java.util.Optional;

/**
 * The credentials every test node runs with (a node has no unauthenticated mode). Tests that drive the
 * registry API or the admin routes log in with these.
 */
public final class TestSecurity {
    public static final Credentials CLIENT = new Credentials("seata-client", "client-secret-1");
    public static final Credentials ADMIN = new Credentials("tessera-admin", "admin-secret-1");

    private TestSecurity() {
    }

    /** Both roles, plain raft port, no client signatures. */
    public static Security plain() {
        return new Security(CLIENT, ADMIN, Optional.empty(), Optional.empty());
    }
}
