package io.tessera.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.raft.tls.MemberCredentials;
import io.tessera.raft.tls.MemberTls;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code tessera-admin tls}: what an operator types, checked by real TLS handshakes between the results. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsCommandTest {
    @TempDir
    Path dir;

    private String out;
    private String err;

    @Test
    void initIssuesEveryNodeAndIssueAddsOneTheOthersTrust() throws Exception {
        assertEquals(0, admin("tls", "init", "--ca-dir", p("ca"), "--node", "n1=" + p("d1"), "--node", "n2=" + p("d2")));
        assertTrue(out.contains("created a CA in"), out);
        assertTrue(Files.exists(dir.resolve("d1/tls/member.p12")) && Files.exists(dir.resolve("d2/tls/member.pass")));
        assertTrue(mutual("d1", "d2"));

        assertEquals(0, admin("tls", "issue", "--ca-dir", p("ca"), "--node", "n3", "--out", p("d3")));
        assertTrue(out.contains("node n3: "), out);
        assertTrue(mutual("d1", "d3"));
        assertTrue(mutual("d3", "d2"));

        // Run again, init uses the same CA and re-issues with the same password.
        String password = Files.readString(dir.resolve("d1/tls/member.pass"));
        assertEquals(0, admin("tls", "init", "--ca-dir", p("ca"), "--node", "n1=" + p("d1")));
        assertTrue(out.contains("using the CA in"), out);
        assertEquals(password, Files.readString(dir.resolve("d1/tls/member.pass")));
        assertTrue(mutual("d1", "d3"));

        assertEquals(0, admin("tls", "show", "--keystore", p("d3/tls/member.p12")));
        assertTrue(out.contains("member:  CN=n3"), out);
        assertEquals(1, out.lines().filter(l -> l.startsWith("trusts:")).count(), out);
    }

    @Test
    void trustLetsAMemberAcceptASecondCa() throws Exception {
        assertEquals(0, admin("tls", "init", "--ca-dir", p("ca"), "--node", "n1=" + p("d1"), "--node", "n2=" + p("d2")));
        assertEquals(0, admin("tls", "init", "--ca-dir", p("ca2"), "--node", "n9=" + p("d9")));
        assertFalse(mutual("d1", "d9"));

        assertEquals(0, admin("tls", "trust", "--keystore", p("d1/tls/member.p12"), "--add-ca", p("ca2/ca.crt")));
        assertTrue(out.contains("now trusts"), out);
        assertEquals(0, admin("tls", "trust", "--keystore", p("d9/tls/member.p12"), "--add-ca", p("ca/ca.crt")));
        assertTrue(mutual("d1", "d9"));
        assertFalse(mutual("d2", "d9"), "n2 trusts the first CA only");

        assertEquals(1, admin("tls", "trust", "--keystore", p("d1/tls/member.p12"), "--remove-ca", p("ca/ca.crt")));
        assertTrue(err.contains("tls issue"), err);
        assertEquals(2, admin("tls", "trust", "--keystore", p("d1/tls/member.p12")));
    }

    /** The rotation of docs/security.md ("Member traffic"), one node at a time; every pair talks at every step. */
    @Test
    void caRotationOneNodeAtATimeKeepsEveryPairTalking() throws Exception {
        List<String> nodes = List.of("n1", "n2", "n3");
        assertEquals(0, admin("tls", "init", "--ca-dir", p("old-ca"), "--node", "n1=" + p("n1"), "--node",
                "n2=" + p("n2"), "--node", "n3=" + p("n3")));
        assertEquals(0, admin("tls", "init", "--ca-dir", p("new-ca")));
        for (String n : nodes) {
            assertEquals(0, admin("tls", "trust", "--keystore", p(n + "/tls/member.p12"), "--add-ca", p("new-ca/ca.crt")));
            assertAllPairsTalk(nodes);
        }
        for (String n : nodes) {
            assertEquals(0, admin("tls", "issue", "--ca-dir", p("new-ca"), "--node", n, "--out", p(n)));
            assertAllPairsTalk(nodes);
        }
        for (String n : nodes) {
            assertEquals(0, admin("tls", "trust", "--keystore", p(n + "/tls/member.p12"), "--remove-ca",
                    p("old-ca/ca.crt")));
            assertAllPairsTalk(nodes);
        }
        assertEquals(0, admin("tls", "issue", "--ca-dir", p("old-ca"), "--node", "old", "--out", p("old")));
        assertFalse(mutual("n1", "old"), "the old CA is no longer trusted");
    }

    private void assertAllPairsTalk(List<String> nodes) throws Exception {
        java.util.Map<String, MemberCredentials> loaded = new java.util.HashMap<>();
        for (String n : nodes) {
            loaded.put(n, load(n));
        }
        for (String a : nodes) {
            for (String b : nodes) {
                if (!a.equals(b)) {
                    assertTrue(mutual(loaded.get(a), loaded.get(b)), a + " <-> " + b);
                }
            }
        }
    }

    private MemberCredentials load(String node) throws IOException {
        return MemberCredentials.load(MemberTls.inDataDir(dir.resolve(node)));
    }

    private int admin(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = TesseraAdmin.run(args, new PrintWriter(o), new PrintWriter(e));
        out = o.toString();
        err = e.toString();
        return code;
    }

    private String p(String relative) {
        return dir.resolve(relative).toString();
    }

    /** A mutual-TLS handshake, {@code server}'s keystore against {@code client}'s; true if both accept. */
    private boolean mutual(String server, String client) throws Exception {
        return mutual(load(server), load(client));
    }

    private static boolean mutual(MemberCredentials s, MemberCredentials c) throws Exception {
        try (SSLServerSocket listener = (SSLServerSocket) s.socketContext().getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setNeedClientAuth(true);
            CompletableFuture<Boolean> serverSide = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket conn = (SSLSocket) listener.accept()) {
                    conn.setSoTimeout(10_000);
                    return conn.getInputStream().read() == 42; // handshake, client certificate checked, one byte
                } catch (IOException refused) {
                    return false;
                }
            });
            boolean clientSide;
            try (SSLSocket conn = (SSLSocket) c.socketContext().getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                conn.setSoTimeout(10_000);
                conn.getOutputStream().write(42);
                conn.getOutputStream().flush();
                clientSide = true;
            } catch (IOException refused) {
                clientSide = false;
            }
            return serverSide.get(15, TimeUnit.SECONDS) && clientSide;
        }
    }
}
