package io.tessera.coordinator.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.coordinator.cluster.InMemoryClusterView;
import io.tessera.coordinator.config.MemberSpec;
import io.tessera.coordinator.config.NodeConfig.ControlLimits;
import io.tessera.coordinator.testing.ControlHttp;
import io.tessera.coordinator.testing.TestSecurity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Found by the live-node fuzzer (issue 16): a bad %-escape in the URI or in a url-encoded form body made
 * the router throw, and the node closed the connection without an answer (logging one WARN line per such
 * connection). It now answers 400 with the reason, and the connection keeps serving.
 */
@Timeout(30)
class ControlMalformedRequestTest {
    private final InMemoryClusterView view = new InMemoryClusterView("node1", "default",
            List.of(new MemberSpec("node1", "127.0.0.1", 7091, 8091, 9091)));
    private ControlServer server;
    private ControlHttp http;

    @BeforeEach
    void start() {
        server = new ControlServer(new ControlServer.Settings("node1", "127.0.0.1", 0, "2.5.0", TestSecurity.CLIENT,
                TestSecurity.ADMIN, ControlLimits.defaults()), view, new LocalAuthState(true), Map::of);
        server.start();
        view.update(2, "node2");
        http = new ControlHttp("127.0.0.1", server.port());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aBadEscapeInThePathIsABadRequest() {
        ControlHttp.Reply r = http.get("/%zz", null);
        assertEquals(400, r.status());
        assertTrue(r.body().contains("malformed request"), r.body());
    }

    @Test
    void aBadEscapeInTheQueryIsABadRequestEvenWithAValidToken() {
        String token = http.token(TestSecurity.CLIENT);
        ControlHttp.Reply r = http.get("/metadata/v1/cluster?group=%zz%", token);
        assertEquals(400, r.status());
        assertEquals(200, http.get("/metadata/v1/cluster?group=default", token).status(), "and the port keeps serving");
    }

    @Test
    void aBadEscapeInAFormBodyIsABadRequest() {
        ControlHttp.Reply r = http.post(ControlRouter.LOGIN_PATH, null, "application/x-www-form-urlencoded",
                "username=%zz&password=x");
        assertEquals(400, r.status());
    }
}
