package io.tessera.coordinator.control;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.coordinator.cluster.InMemoryClusterView;
import io.tessera.coordinator.config.MemberSpec;
import io.tessera.coordinator.config.NodeConfig.ControlLimits;
import io.tessera.coordinator.testing.ControlHttp;
import io.tessera.coordinator.testing.TestSecurity;
import io.tessera.raft.tx.ControlRole;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Login readiness, key rotation, credential changes and login throttling on one control port. */
@Timeout(60)
class ControlAuthApiTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private final InMemoryClusterView view = new InMemoryClusterView("node1", "default",
            List.of(new MemberSpec("node1", "127.0.0.1", 7091, 8091, 9091)));
    private ControlServer server;

    private ControlHttp start(AuthState auth) {
        server = new ControlServer(new ControlServer.Settings("node1", "127.0.0.1", 0, "2.5.0", TestSecurity.CLIENT,
                TestSecurity.ADMIN, ControlLimits.defaults()), view, auth, Map::of);
        server.start();
        view.update(1, "node1");
        return new ControlHttp("127.0.0.1", server.port());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private String credentialsBody(String role, String username, String password) throws Exception {
        return mapper.writeValueAsString(Map.of("role", role, "username", username, "password", password));
    }

    @Test
    void beforeTheClusterHasAKeyLoginAnswersNotReadyAndNeverAToken() throws Exception {
        LocalAuthState auth = new LocalAuthState(false);
        ControlHttp c = start(auth);
        ControlHttp.Reply r = c.login(TestSecurity.CLIENT.username(), TestSecurity.CLIENT.password());
        assertEquals(503, r.status());
        assertEquals("503", r.code());
        assertFalse(r.json().get("success").asBoolean());
        assertFalse(r.json().has("data"));
        assertTrue(r.json().get("message").asText().startsWith("not ready"), r.body());
        assertEquals("1", r.headers().get("retry-after"));

        auth.rotateTokenKey("first leader");
        assertEquals("200", c.login(TestSecurity.CLIENT.username(), TestSecurity.CLIENT.password()).code());
    }

    @Test
    void rotatingTheKeyRevokesEveryTokenIncludingTheCallers() throws Exception {
        ControlHttp c = start(new LocalAuthState(true));
        String client = c.token(TestSecurity.CLIENT);
        String admin = c.token(TestSecurity.ADMIN);
        assertEquals(200, c.get("/metadata/v1/cluster", client).status());

        ControlHttp.Reply rotated = c.post(RotateKeyRoute.PATH, admin, null, null);
        assertEquals(200, rotated.status(), rotated.body());
        assertEquals(2, rotated.json().get("data").get("generation").asLong());

        ControlHttp.Reply old = c.get("/metadata/v1/cluster", client);
        assertEquals(401, old.status());
        assertTrue(old.json().get("message").asText().contains("rotated"), old.body());
        assertEquals(401, c.post(RotateKeyRoute.PATH, admin, null, null).status());
        assertEquals(200, c.get("/metadata/v1/cluster", c.token(TestSecurity.CLIENT)).status(), "a new login works");
    }

    @Test
    void credentialsChangeThroughTheApiReplacesTheConfiguredOnes() throws Exception {
        LocalAuthState auth = new LocalAuthState(true);
        ControlHttp c = start(auth);
        String admin = c.token(TestSecurity.ADMIN);

        ControlHttp.Reply set = c.put(CredentialsRoute.PATH, admin, "application/json",
                credentialsBody("client", "seata-app", "new-client-secret"));
        assertEquals(200, set.status(), set.body());
        var stored = auth.storedCredentials(ControlRole.CLIENT).orElseThrow();
        assertEquals("seata-app", stored.username());
        assertEquals(PasswordHash.ITERATIONS, stored.iterations());
        assertTrue(stored.requestedBy().contains("admin 'tessera-admin' from 127.0.0.1 via node1"), stored.requestedBy());

        assertEquals("401", c.login(TestSecurity.CLIENT.username(), TestSecurity.CLIENT.password()).code(),
                "the configured client credentials no longer log in");
        assertEquals("401", c.login("seata-app", "wrong-password").code());
        String fresh = c.token(new io.tessera.coordinator.config.NodeConfig.Credentials("seata-app", "new-client-secret"));
        assertEquals(200, c.get("/metadata/v1/cluster", fresh).status());
        // The remembered success makes the next login cheap; it must still say yes to the same password only.
        assertEquals("200", c.login("seata-app", "new-client-secret").code());
        assertEquals("401", c.login("seata-app", "new-client-secreT").code());
        // The admin role still uses the configured credentials.
        assertEquals("200", c.login(TestSecurity.ADMIN.username(), TestSecurity.ADMIN.password()).code());
    }

    @Test
    void credentialsOutsideThePolicyAreRefusedWithThePreciseReason() throws Exception {
        LocalAuthState auth = new LocalAuthState(true);
        ControlHttp c = start(auth);
        String admin = c.token(TestSecurity.ADMIN);
        assertRefused(c, admin, credentialsBody("client", "app", "short"), "at least 8 characters");
        assertRefused(c, admin, credentialsBody("client", "app-user-1", "app-user-1"), "must not equal the username");
        assertRefused(c, admin, credentialsBody("client", TestSecurity.ADMIN.username(), "long-enough-1"),
                "need different user names");
        assertRefused(c, admin, credentialsBody("operator", "x", "long-enough-1"), "role must be");
        assertRefused(c, admin, "not json", "body must be JSON");
        assertRefused(c, admin, "{\"role\":\"admin\",\"password\":\"long-enough-1\"}", "username is required");
        assertTrue(auth.storedCredentials(ControlRole.CLIENT).isEmpty());
        assertTrue(auth.storedCredentials(ControlRole.ADMIN).isEmpty());
    }

    private static void assertRefused(ControlHttp c, String token, String body, String reason) {
        ControlHttp.Reply r = c.put(CredentialsRoute.PATH, token, "application/json", body);
        assertEquals(400, r.status(), r.body());
        assertEquals("400", r.code());
        assertTrue(r.json().get("message").asText().contains(reason), r.body());
    }

    /**
     * A burst of wrong passwords from one address: five are checked, then the address must wait and
     * attempts inside the wait are refused unchecked (429). Another address logs in at once; a success
     * after the wait resets the source.
     */
    @Test
    void bruteForceFromOneSourceIsThrottledWhileOtherSourcesAreNot() throws Exception {
        ControlHttp c = start(new LocalAuthState(true));
        int checked = 0;
        int throttled = 0;
        for (int i = 0; i < 40; i++) {
            ControlHttp.Reply r = c.login(TestSecurity.ADMIN.username(), "guess-" + i);
            if (r.status() == 429) {
                throttled++;
                assertEquals("429", r.code());
                assertTrue(r.json().get("message").asText().contains("retry in"), r.body());
                assertTrue(Integer.parseInt(r.headers().get("retry-after")) >= 1);
            } else {
                checked++;
                assertEquals("401", r.code());
            }
        }
        // 5 free failures; the loop may outlast the first 1 s (and then the 2 s) wait on a slow machine.
        assertTrue(checked >= 5 && checked <= 7, "checked " + checked);
        assertEquals(40 - checked, throttled);
        // Even the right password is refused unchecked inside the wait.
        assertEquals(429, c.login(TestSecurity.ADMIN.username(), TestSecurity.ADMIN.password()).status());

        ControlHttp other = c.from("127.0.0.2");
        assertEquals("200", other.login(TestSecurity.ADMIN.username(), TestSecurity.ADMIN.password()).code(),
                "another source is not throttled");

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() ->
                c.login(TestSecurity.ADMIN.username(), TestSecurity.ADMIN.password()).status() == 200);
        // The success reset the source: the next wrong password is checked again.
        assertEquals("401", c.login(TestSecurity.ADMIN.username(), "guess-again").code());
    }
}
