package io.tessera.raft.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertPathValidator;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterCaTest {
    @TempDir
    Path dir;

    @Test
    void aMemberKeystoreLoadsWithTheJdkAndItsChainVerifiesAgainstTheCa() throws Exception {
        ClusterCa ca = ClusterCa.create(dir.resolve("ca"), 365);
        ca.issue("n1", dir.resolve("n1/tls"), 30);

        KeyStore ks = jdkLoad(dir.resolve("n1/tls/member.p12"), dir.resolve("n1/tls/member.pass"));
        Certificate[] chain = ks.getCertificateChain(MemberKeystore.KEY_ALIAS);
        assertEquals(2, chain.length, "the member key with its certificate and the CA's");
        X509Certificate leaf = (X509Certificate) chain[0];
        assertEquals(ca.certificate(), chain[1]);
        assertTrue(leaf.getSubjectX500Principal().getName().contains("CN=n1"), leaf.getSubjectX500Principal().getName());
        assertEquals(-1, leaf.getBasicConstraints(), "not a CA");
        assertTrue(leaf.getExtendedKeyUsage().containsAll(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2")),
                "TLS server and client");
        assertEquals(0, ca.certificate().getBasicConstraints(), "a CA for member certificates only");

        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca.certificate(), null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), params);

        MemberCredentials loaded = MemberCredentials.load(MemberTls.inDataDir(dir.resolve("n1")));
        assertEquals(leaf, loaded.certificate());
        assertEquals(List.of(ca.certificate()), loaded.trustedCas());
    }

    @Test
    void theCasKeyNeverLandsInAMemberKeystore() throws Exception {
        ClusterCa ca = ClusterCa.create(dir.resolve("ca"), 365);
        ca.issue("n1", dir.resolve("n1"), 30);
        PrivateKey caKey = (PrivateKey) jdkLoad(dir.resolve("ca/ca.p12"), dir.resolve("ca/ca.pass"))
                .getKey("ca", Files.readString(dir.resolve("ca/ca.pass")).toCharArray());

        KeyStore ks = jdkLoad(dir.resolve("n1/member.p12"), dir.resolve("n1/member.pass"));
        char[] password = Files.readString(dir.resolve("n1/member.pass")).toCharArray();
        List<String> keyEntries = Collections.list(ks.aliases()).stream().filter(a -> isKey(ks, a)).toList();
        assertEquals(List.of(MemberKeystore.KEY_ALIAS), keyEntries, "exactly one key: the member's");
        Key memberKey = ks.getKey(MemberKeystore.KEY_ALIAS, password);
        assertFalse(java.util.Arrays.equals(caKey.getEncoded(), memberKey.getEncoded()));
        assertNotEquals(ca.certificate().getPublicKey(), ks.getCertificate(MemberKeystore.KEY_ALIAS).getPublicKey());
        // The CA appears as a certificate only.
        assertTrue(ks.isCertificateEntry(MemberKeystore.alias(ca.certificate())));
    }

    @Test
    void secretsAreOwnerOnlyAndTheCaCertificateIsPublic() throws Exception {
        ClusterCa ca = ClusterCa.create(dir.resolve("ca"), 365);
        ca.issue("n1", dir.resolve("n1/tls"), 30);
        for (String secret : List.of("ca/ca.p12", "ca/ca.pass", "n1/tls/member.p12", "n1/tls/member.pass")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(secret))),
                    secret);
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca"))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("n1/tls"))));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca/ca.crt"))));
        assertEquals(ca.certificate(), Pem.read(dir.resolve("ca/ca.crt")));
        assertEquals(43, Files.readString(dir.resolve("n1/tls/member.pass")).length(), "256 random bits");
    }

    @Test
    void membersOfOneCaTrustEachOtherAndNobodyElse() throws Exception {
        ClusterCa ca = ClusterCa.create(dir.resolve("ca"), 365);
        ClusterCa other = ClusterCa.create(dir.resolve("other"), 365);
        MemberCredentials n1 = load(ca, "n1");
        MemberCredentials n2 = load(ca, "n2");
        MemberCredentials stranger = load(other, "x1");
        assertTrue(Handshakes.mutual(n1, n2));
        assertTrue(Handshakes.mutual(n2, n1));
        assertFalse(Handshakes.mutual(n1, stranger));
        assertFalse(Handshakes.mutual(stranger, n1));
    }

    @Test
    void reissuingKeepsPasswordAndTrustedCasAndAddsTheIssuingCa() throws Exception {
        ClusterCa old = ClusterCa.create(dir.resolve("old"), 365);
        ClusterCa fresh = ClusterCa.create(dir.resolve("new"), 365);
        old.issue("n1", dir.resolve("n1"), 30);
        String password = Files.readString(dir.resolve("n1/member.pass"));

        MemberKeystore ks = fresh.issue("n1", dir.resolve("n1"), 30);

        assertEquals(password, Files.readString(dir.resolve("n1/member.pass")));
        assertEquals(Set.of(old.certificate(), fresh.certificate()), Set.copyOf(ks.trustedCas()));
        assertTrue(MemberCredentials.signedBy(ks.certificate(), fresh.certificate()));
        // A member re-issued from the new CA talks to one still on the old CA that trusts both.
        MemberKeystore n2 = old.issue("n2", dir.resolve("n2"), 30);
        n2.addTrustedCa(fresh.certificate());
        n2.save();
        MemberCredentials stillOld = load(dir.resolve("n2"));
        MemberCredentials moved = load(dir.resolve("n1"));
        assertTrue(Handshakes.mutual(moved, stillOld));
        assertTrue(Handshakes.mutual(stillOld, moved));
    }

    @Test
    void trustingASecondCaLetsAMemberAcceptItsCertificatesAndTheIssuingCaCannotBeDropped() throws Exception {
        ClusterCa ca = ClusterCa.create(dir.resolve("ca"), 365);
        ClusterCa second = ClusterCa.create(dir.resolve("second"), 365);
        MemberCredentials newcomer = load(second, "n9");
        MemberTls n1Tls = MemberTls.withPasswordFile(ca.issue("n1", dir.resolve("n1"), 30).file(),
                dir.resolve("n1/member.pass"));
        assertFalse(Handshakes.mutual(MemberCredentials.load(n1Tls), newcomer));

        MemberKeystore ks = MemberKeystore.open(n1Tls.keystore(), dir.resolve("n1/member.pass"));
        assertTrue(ks.addTrustedCa(Pem.read(second.certificateFile())));
        assertFalse(ks.addTrustedCa(second.certificate()), "adding twice changes nothing");
        ks.save();
        MemberCredentials n1 = MemberCredentials.load(n1Tls);
        // n1 accepts the newcomer as client; the newcomer (trusting its own CA only) refuses n1's server cert.
        assertFalse(Handshakes.mutual(n1, newcomer));
        MemberKeystore nk = MemberKeystore.open(dir.resolve("n9/member.p12"), dir.resolve("n9/member.pass"));
        nk.addTrustedCa(ca.certificate());
        nk.save();
        assertTrue(Handshakes.mutual(n1, load(dir.resolve("n9"))));

        IOException refused = assertThrows(IOException.class, () -> ks.removeTrustedCa(ca.certificate()));
        assertTrue(refused.getMessage().contains("tls issue"), refused.getMessage());
        assertTrue(ks.removeTrustedCa(second.certificate()));
    }

    @Test
    void aBrokenKeystoreFailsWithOneReadableLine() throws Exception {
        ClusterCa ca = ClusterCa.create(dir.resolve("ca"), 365);
        ca.issue("n1", dir.resolve("n1"), 30);
        Files.writeString(dir.resolve("wrong.pass"), "not-the-password");
        IOException e = assertThrows(IOException.class, () -> MemberCredentials.load(
                MemberTls.withPasswordFile(dir.resolve("n1/member.p12"), dir.resolve("wrong.pass"))));
        assertTrue(e.getMessage().contains("wrong password"), e.getMessage());
        assertThrows(IOException.class, () -> ca.issue("bad id", dir.resolve("x"), 30));
        assertThrows(IOException.class, () -> ClusterCa.create(dir.resolve("ca"), 365), "one CA per directory");
        assertArrayEquals(ca.certificate().getEncoded(), ClusterCa.load(dir.resolve("ca")).certificate().getEncoded());
    }

    private MemberCredentials load(ClusterCa ca, String id) throws IOException {
        ca.issue(id, dir.resolve(id), 30);
        return load(dir.resolve(id));
    }

    private static MemberCredentials load(Path tlsDir) throws IOException {
        return MemberCredentials.load(MemberTls.withPasswordFile(tlsDir.resolve("member.p12"),
                tlsDir.resolve("member.pass")));
    }

    private static KeyStore jdkLoad(Path file, Path passwordFile) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, Files.readString(passwordFile).toCharArray());
        }
        return ks;
    }

    private static boolean isKey(KeyStore ks, String alias) {
        try {
            return ks.isKeyEntry(alias);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
