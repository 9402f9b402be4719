package io.tessera.raft.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The cluster CA, kept in a directory of its own that operators keep offline: {@code ca.p12} (its key and
 * self-signed certificate, mode 600), {@code ca.pass} (mode 600) and {@code ca.crt} (the certificate as
 * PEM, public: what {@code tls trust --add-ca} takes during a CA rotation). The CA's key never leaves this
 * directory; member keystores get the CA's certificate only.
 */
public final class ClusterCa {
    public static final String KEYSTORE_FILE = "ca.p12";
    public static final String PASSWORD_FILE = "ca.pass";
    public static final String CERTIFICATE_FILE = "ca.crt";
    public static final int DEFAULT_CA_DAYS = 3650;
    public static final int DEFAULT_MEMBER_DAYS = 825;
    private static final String ALIAS = "ca";
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final Path dir;
    private final PrivateKey key;
    private final X509Certificate certificate;

    private ClusterCa(Path dir, PrivateKey key, X509Certificate certificate) {
        this.dir = dir;
        this.key = key;
        this.certificate = certificate;
    }

    /** True if {@code dir} already holds a CA. */
    public static boolean exists(Path dir) {
        return Files.exists(dir.resolve(KEYSTORE_FILE));
    }

    /** Creates a new CA in {@code dir}; refuses if one is there (a second CA would silently split the cluster). */
    public static ClusterCa create(Path dir, int validDays) throws IOException {
        if (exists(dir)) {
            throw new IOException(dir + " already holds a CA (" + KEYSTORE_FILE + ")");
        }
        requirePositive(validDays);
        try {
            KeyPair keys = Certificates.newKeyPair();
            byte[] id = new byte[4];
            new java.security.SecureRandom().nextBytes(id);
            // A name of its own per CA: old and new CA side by side during a rotation must not look alike.
            String cn = "Tessera cluster CA " + LocalDate.now(ZoneOffset.UTC) + " " + HexFormat.of().formatHex(id);
            X509Certificate cert = Certificates.ca(keys, cn, validDays);
            char[] password = SecureFiles.randomPassword();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(ALIAS, keys.getPrivate(), password, new X509Certificate[] {cert});
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ks.store(out, password);
            SecureFiles.createPrivateDir(dir);
            SecureFiles.write(dir.resolve(PASSWORD_FILE), new String(password).getBytes(StandardCharsets.UTF_8), true);
            SecureFiles.write(dir.resolve(KEYSTORE_FILE), out.toByteArray(), true);
            SecureFiles.write(dir.resolve(CERTIFICATE_FILE), Pem.bytes(Pem.encode(cert)), false);
            return new ClusterCa(dir, keys.getPrivate(), cert);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot create a CA in " + dir + ": " + e.getMessage(), e);
        }
    }

    public static ClusterCa load(Path dir) throws IOException {
        Path file = dir.resolve(KEYSTORE_FILE);
        if (!Files.exists(file)) {
            throw new IOException(dir + " holds no CA (" + KEYSTORE_FILE + "); create one with tls init");
        }
        char[] password = MemberTls.readPassword(dir.resolve(PASSWORD_FILE));
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            if (!(ks.getKey(ALIAS, password) instanceof PrivateKey key)) {
                throw new IOException(file + " holds no CA key (alias " + ALIAS + ")");
            }
            return new ClusterCa(dir, key, (X509Certificate) ks.getCertificate(ALIAS));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the CA in " + dir + ": " + e.getMessage(), e);
        }
    }

    public static ClusterCa loadOrCreate(Path dir, int validDays) throws IOException {
        return exists(dir) ? load(dir) : create(dir, validDays);
    }

    /**
     * Issues a key and certificate for {@code nodeId} into {@code <outDir>/member.p12} (password in
     * {@code <outDir>/member.pass}). Re-issuing into a directory that already holds a member keystore
     * replaces the member's key and keeps its password and every CA it already trusts (so the same
     * command moves a member to a new CA during a rotation); this CA is always added to the trusted ones.
     */
    public MemberKeystore issue(String nodeId, Path outDir, int validDays) throws IOException {
        if (!NODE_ID.matcher(nodeId).matches()) {
            throw new IOException("node id '" + nodeId + "': use letters, digits, '.', '_' or '-' (at most 64)");
        }
        requirePositive(validDays);
        Path keystore = outDir.resolve(MemberTls.KEYSTORE_FILE);
        Path passwordFile = outDir.resolve(MemberTls.PASSWORD_FILE);
        List<X509Certificate> trusted = new ArrayList<>();
        if (Files.exists(keystore)) {
            trusted.addAll(MemberKeystore.open(keystore, passwordFile).trustedCas());
        }
        trusted.add(certificate);
        try {
            KeyPair keys = Certificates.newKeyPair();
            X509Certificate cert = Certificates.member(certificate, key, nodeId, keys.getPublic(), validDays);
            SecureFiles.createPrivateDir(outDir);
            return MemberKeystore.write(keystore, passwordFile, keys.getPrivate(), new X509Certificate[] {cert, certificate},
                    trusted);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot issue a certificate for " + nodeId + ": " + e.getMessage(), e);
        }
    }

    private static void requirePositive(int validDays) throws IOException {
        if (validDays < 1) {
            throw new IOException("a certificate must be valid for at least one day, not " + validDays);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public Path dir() {
        return dir;
    }

    public Path certificateFile() {
        return dir.resolve(CERTIFICATE_FILE);
    }
}
