package io.tessera.raft.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * A member's PKCS12 keystore on disk, for the tools that write it (the node only reads it, through
 * {@link MemberCredentials}). Holds one key entry {@value #KEY_ALIAS} (the member's key, its certificate
 * and the issuing CA's certificate) and one trusted certificate entry per trusted cluster CA, named
 * {@code ca-<first 16 hex digits of its SHA-256>} so adding the same CA twice changes nothing.
 */
public final class MemberKeystore {
    static final String KEY_ALIAS = "member";

    private final Path file;
    private final char[] password;
    private final KeyStore store;

    private MemberKeystore(Path file, char[] password, KeyStore store) {
        this.file = file;
        this.password = password;
        this.store = store;
    }

    /** Opens an existing keystore; the password is read from {@code passwordFile}. */
    public static MemberKeystore open(Path file, Path passwordFile) throws IOException {
        char[] password = MemberTls.readPassword(passwordFile);
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            return new MemberKeystore(file, password, ks);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes a keystore holding {@code key} with {@code chain} and trusting {@code cas}, then its password
     * file (both mode 600). An existing password file is kept, a missing one is created with a random
     * password.
     */
    static MemberKeystore write(Path file, Path passwordFile, PrivateKey key, X509Certificate[] chain,
            Collection<X509Certificate> cas) throws IOException {
        boolean newPassword = !Files.exists(passwordFile);
        char[] password = newPassword ? SecureFiles.randomPassword() : MemberTls.readPassword(passwordFile);
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(KEY_ALIAS, key, password, chain);
            MemberKeystore m = new MemberKeystore(file, password, ks);
            for (X509Certificate ca : cas) {
                m.addTrustedCa(ca);
            }
            if (newPassword) {
                SecureFiles.write(passwordFile, new String(password).getBytes(StandardCharsets.UTF_8), true);
            }
            m.save();
            return m;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot build keystore " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    /** The member's own certificate. */
    public X509Certificate certificate() throws IOException {
        try {
            Certificate c = store.getCertificate(KEY_ALIAS);
            if (!(c instanceof X509Certificate x)) {
                throw new IOException(file + " holds no member key (alias " + KEY_ALIAS + ")");
            }
            return x;
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    public List<X509Certificate> trustedCas() throws IOException {
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.isCertificateEntry(alias)) {
                    out.add((X509Certificate) store.getCertificate(alias));
                }
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    /** True if the CA was not trusted yet. Call {@link #save()} to write the change. */
    public boolean addTrustedCa(X509Certificate ca) throws IOException {
        requireCa(ca);
        try {
            String alias = alias(ca);
            if (store.containsAlias(alias)) {
                return false;
            }
            store.setCertificateEntry(alias, ca);
            return true;
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    /**
     * True if the CA was trusted. Refuses to drop the CA that signed this member's own certificate: the
     * member would no longer start (re-issue it from the new CA first).
     */
    public boolean removeTrustedCa(X509Certificate ca) throws IOException {
        if (MemberCredentials.signedBy(certificate(), ca)) {
            throw new IOException("the member certificate in " + file + " is signed by " + ca.getSubjectX500Principal()
                    + "; issue it from the new CA (tls issue) before this keystore stops trusting the old one");
        }
        try {
            String alias = alias(ca);
            if (!store.containsAlias(alias)) {
                return false;
            }
            store.deleteEntry(alias);
            return true;
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    /** Replaces the file atomically (mode 600). */
    public void save() throws IOException {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, password);
            SecureFiles.write(file, out.toByteArray(), true);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static String alias(X509Certificate ca) {
        return "ca-" + Pem.fingerprint(ca).substring(0, 16);
    }

    private static void requireCa(X509Certificate ca) throws IOException {
        if (ca.getBasicConstraints() < 0) {
            throw new IOException(ca.getSubjectX500Principal() + " is not a CA certificate");
        }
    }
}
