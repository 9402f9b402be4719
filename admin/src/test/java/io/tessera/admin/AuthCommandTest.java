package io.tessera.admin;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.coordinator.config.NodeConfig.Credentials;
import io.tessera.coordinator.testing.ControlHttp;
import io.tessera.coordinator.testing.TestSecurity;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code tessera-admin auth rotate-key / set-credentials} against a real three-node cluster. */
@Timeout(120)
class AuthCommandTest {
    private static final String METADATA = "/metadata/v1/cluster?group=default";

    @TempDir
    Path dir;

    private TestCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = new TestCluster(dir, 3).start();
        cluster.leaderIndex();
        cluster.awaitTokenKey();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private record Run(int code, String out, String err) {
    }

    private static Run admin(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TesseraAdmin.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void rotateKeyRevokesTokensOnEveryNode() {
        String token = cluster.control(0).token(TestSecurity.CLIENT);
        Run r = admin("auth", "rotate-key", "--cluster", cluster.controlAddresses(),
                "--username", TestSecurity.ADMIN.username(), "--password", TestSecurity.ADMIN.password());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("token key generation 2 is current"), r.out());
        IntStream.range(0, 3).forEach(i -> await().atMost(Duration.ofSeconds(10))
                .until(() -> cluster.control(i).get(METADATA, token).status() == 401));

        Run asClient = admin("auth", "rotate-key", "--cluster", cluster.controlAddresses(),
                "--username", TestSecurity.CLIENT.username(), "--password", TestSecurity.CLIENT.password());
        assertEquals(1, asClient.code());
        assertTrue(asClient.err().contains("needs the admin role"), asClient.err());
    }

    @Test
    void setCredentialsReadsThePasswordFromStdinAndAppliesEverywhere() {
        Credentials next = new Credentials("ops-admin", "next-admin-secret");
        Run r = withStdin(next.password() + "\n", () -> admin("auth", "set-credentials", "--cluster",
                cluster.controlAddresses(), "--role", "admin", "--username", next.username(), "--password-stdin",
                "--admin-username", TestSecurity.ADMIN.username(), "--admin-password", TestSecurity.ADMIN.password()));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("admin credentials set for user 'ops-admin'"), r.out());
        IntStream.range(0, 3).forEach(i -> await().atMost(Duration.ofSeconds(10)).until(() ->
                "200".equals(cluster.control(i).login(next.username(), next.password()).code())));
        ControlHttp c = cluster.control(1);
        assertEquals("401", c.login(TestSecurity.ADMIN.username(), TestSecurity.ADMIN.password()).code());

        // The policy's answer reaches the operator as one line.
        Run weak = withStdin("short\n", () -> admin("auth", "set-credentials", "--cluster",
                cluster.controlAddresses(), "--role", "client", "--username", "app", "--password-stdin",
                "--admin-username", next.username(), "--admin-password", next.password()));
        assertEquals(1, weak.code());
        assertTrue(weak.err().contains("password must have at least 8 characters"), weak.err());
    }

    private static Run withStdin(String input, java.util.function.Supplier<Run> run) {
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            return run.get();
        } finally {
            System.setIn(saved);
        }
    }
}
