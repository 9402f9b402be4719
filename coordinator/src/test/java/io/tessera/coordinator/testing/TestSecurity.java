package io.tessera.coordinator.testing;

import io.tessera.coordinator.config.NodeConfig.Credentials;
import io.tessera.coordinator.config.NodeConfig.MemberTlsFiles;
import io.tessera.coordinator.config.NodeConfig.Security;
import io.tessera.raft.tls.ClusterCa;
import io.tessera.raft.tls.MemberTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The credentials every test node runs with (a node has no unauthenticated mode), and member TLS from a
 * real cluster CA, as {@code tessera-admin tls init} makes it. Tests that drive the registry API or the
 * admin routes log in with these.
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

    /**
     * Both roles and mutual TLS on the raft port: the CA lives in {@code <pkiDir>/ca} (created on first
     * use), member {@code nodeId}'s keystore in {@code <pkiDir>/<nodeId>}.
     */
    public static Security withMemberTls(Path pkiDir, String nodeId) {
        try {
            Path out = pkiDir.resolve(nodeId);
            if (!Files.exists(out.resolve(MemberTls.KEYSTORE_FILE))) {
                ClusterCa.loadOrCreate(pkiDir.resolve("ca"), 30).issue(nodeId, out, 30);
            }
            String password = Files.readString(out.resolve(MemberTls.PASSWORD_FILE)).strip();
            return new Security(CLIENT, ADMIN,
                    Optional.of(new MemberTlsFiles(out.resolve(MemberTls.KEYSTORE_FILE), password)), Optional.empty());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
