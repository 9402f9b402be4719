package io.tessera.raft.group;

import io.tessera.raft.tls.ClusterCa;
import io.tessera.raft.tls.MemberCredentials;
import io.tessera.raft.tls.MemberKeystore;
import io.tessera.raft.tls.MemberTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** A real cluster CA in a temp dir, issuing real member keystores (what {@code tessera-admin tls} writes). */
final class TestPki {
    private final Path dir;
    private final ClusterCa ca;

    TestPki(Path dir) {
        this.dir = dir;
        try {
            this.ca = ClusterCa.create(dir.resolve("ca"), 30);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ClusterCa ca() {
        return ca;
    }

    /** Issues (or re-issues) member {@code id}'s keystore under this CA. */
    MemberTls member(String id) {
        try {
            MemberKeystore ks = ca.issue(id, dir.resolve(id), 30);
            return MemberTls.withPasswordFile(ks.file(), dir.resolve(id).resolve(MemberTls.PASSWORD_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A certificate of this CA that also trusts {@code other}'s CA: what a stranger with its own CA and a
     * copy of the cluster CA's public certificate holds. The cluster's members verify its handshakes as
     * far as the client certificate.
     */
    MemberTls strangerTrusting(TestPki other, String id) {
        try {
            MemberTls tls = member(id);
            MemberKeystore ks = MemberKeystore.open(tls.keystore(), dir.resolve(id).resolve(MemberTls.PASSWORD_FILE));
            ks.addTrustedCa(other.ca.certificate());
            ks.save();
            return tls;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MemberCredentials load(MemberTls tls) {
        try {
            return MemberCredentials.load(tls);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
