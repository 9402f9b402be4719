package io.tessera.raft.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A member's loaded TLS identity and trust, with the TLS contexts built from them once.
 *
 * <p>Trust is the keystore's <em>trusted certificate entries</em> only (the cluster CA, or the old and the
 * new CA during a rotation). The JDK's default would also trust the member's own leaf certificate as an
 * anchor; building the trust store from the certificate entries alone keeps "signed by the cluster CA"
 * the one rule. A peer's host name is not checked (netty's client context does no endpoint
 * identification): the CA's signature is the member's identity, and peers are addressed by IP or by
 * names the certificates need not carry.
 *
 * <p>Only TLS 1.3 is offered: every member is this same code on Java 17.
 */
public final class MemberCredentials {
    static final String[] PROTOCOLS = {"TLSv1.3"};

    private final X509Certificate certificate;
    private final List<X509Certificate> trusted;
    private final SslContext server;
    private final SslContext client;
    private final SSLContext socket;

    private MemberCredentials(X509Certificate certificate, List<X509Certificate> trusted, KeyManagerFactory keys,
            TrustManagerFactory trust) throws GeneralSecurityException, IOException {
        this.certificate = certificate;
        this.trusted = List.copyOf(trusted);
        this.server = SslContextBuilder.forServer(keys).trustManager(trust).clientAuth(ClientAuth.REQUIRE)
                .sslProvider(SslProvider.JDK).protocols(PROTOCOLS).build();
        this.client = SslContextBuilder.forClient().keyManager(keys).trustManager(trust)
                .sslProvider(SslProvider.JDK).protocols(PROTOCOLS).build();
        this.socket = SSLContext.getInstance("TLSv1.3");
        socket.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
    }

    /**
     * Loads and checks the keystore: exactly one key entry, at least one trusted CA, the member's
     * certificate currently valid and signed by one of those CAs. Any problem fails with one readable
     * line, so a node with a broken keystore does not start.
     */
    public static MemberCredentials load(MemberTls tls) throws IOException {
        if (!Files.isRegularFile(tls.keystore())) {
            throw new IOException("member keystore " + tls.keystore()
                    + " does not exist (create it with tessera-admin tls init or tls issue)");
        }
        char[] password = tls.password();
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(tls.keystore())) {
                store.load(in, password);
            }
            String keyAlias = null;
            KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
            trustStore.load(null, null);
            List<X509Certificate> cas = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    if (keyAlias != null) {
                        throw new IOException(tls.keystore() + " holds more than one key (" + keyAlias + ", " + alias
                                + "); a member keystore holds exactly one");
                    }
                    keyAlias = alias;
                } else if (store.isCertificateEntry(alias)) {
                    X509Certificate ca = (X509Certificate) store.getCertificate(alias);
                    trustStore.setCertificateEntry(alias, ca);
                    cas.add(ca);
                }
            }
            if (keyAlias == null) {
                throw new IOException(tls.keystore() + " holds no member key");
            }
            if (cas.isEmpty()) {
                throw new IOException(tls.keystore() + " trusts no CA certificate");
            }
            Certificate[] chain = store.getCertificateChain(keyAlias);
            X509Certificate leaf = (X509Certificate) chain[0];
            checkValidNow(tls, leaf);
            if (cas.stream().noneMatch(ca -> signedBy(leaf, ca))) {
                throw new IOException(tls.keystore() + ": the member certificate " + leaf.getSubjectX500Principal()
                        + " is not signed by any CA the keystore trusts");
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore);
            return new MemberCredentials(leaf, cas, keys, trust);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load member keystore " + tls.keystore() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            if (e.getCause() instanceof java.security.UnrecoverableKeyException) {
                throw new IOException("cannot open member keystore " + tls.keystore() + ": wrong password", e);
            }
            throw e;
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
    }

    private static void checkValidNow(MemberTls tls, X509Certificate leaf) throws IOException {
        Date now = new Date();
        if (now.before(leaf.getNotBefore()) || now.after(leaf.getNotAfter())) {
            throw new IOException(tls.keystore() + ": the member certificate " + leaf.getSubjectX500Principal()
                    + " is valid only from " + leaf.getNotBefore().toInstant() + " to " + leaf.getNotAfter().toInstant());
        }
    }

    static boolean signedBy(X509Certificate cert, X509Certificate ca) {
        if (!cert.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
            return false;
        }
        try {
            cert.verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** For the raft port's server side: this member's certificate, a client certificate required. */
    public SslContext serverContext() {
        return server;
    }

    /** For this member's outgoing raft-port connections: presents this member's certificate. */
    public SslContext clientContext() {
        return client;
    }

    /** The same identity and trust for plain JDK sockets (the leader-loss watch connection). */
    public SSLContext socketContext() {
        return socket;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public List<X509Certificate> trustedCas() {
        return trusted;
    }

    /** The TLS versions members speak (for sockets built outside these contexts). */
    public static String[] protocols() {
        return PROTOCOLS.clone();
    }

    /** One line for the start-up log. */
    public String describe() {
        return certificate.getSubjectX500Principal().getName() + " (until " + certificate.getNotAfter().toInstant()
                + "), trusting " + trusted.stream().map(c -> c.getSubjectX500Principal().getName()).toList();
    }
}
