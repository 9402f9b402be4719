package io.tessera.coordinator.webconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.coordinator.cluster.InMemoryClusterView;
import io.tessera.coordinator.config.MemberSpec;
import io.tessera.coordinator.config.NodeConfig.ControlLimits;
import io.tessera.coordinator.control.ControlServer;
import io.tessera.coordinator.control.LocalAuthState;
import io.tessera.coordinator.testing.ControlHttp;
import io.tessera.coordinator.testing.TestSecurity;
import io.netty.handler.codec.http.HttpMethod;
import io.tessera.raft.tx.ControlRole;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The console's files are public with strict headers, only the declared ones resolve, data routes next to
 * them still need the admin token, and the files themselves keep the rules the CSP relies on (no inline
 * script or style, no HTML built from strings).
 */
@Timeout(30)
class WebConsoleRoutesTest {
    private ControlServer server;
    private ControlHttp http;

    @BeforeEach
    void start() {
        server = new ControlServer(new ControlServer.Settings("node1", "127.0.0.1", 0, "2.5.0", TestSecurity.CLIENT,
                TestSecurity.ADMIN, ControlLimits.defaults()),
                new InMemoryClusterView("node1", "default", List.of(new MemberSpec("node1", "127.0.0.1", 7091, 8091, 9091))),
                new LocalAuthState(true), Map::of);
        new WebConsole().register(server);
        server.addRoute(HttpMethod.GET, "/api/v1/console/globalSession/query", ControlRole.ADMIN,
                (ctx, request, keepAlive, caller) -> {
                    throw new AssertionError("must not be reached without the admin token");
                });
        server.start();
        http = new ControlHttp("127.0.0.1", server.port());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void everyFileIsPublicWithStrictHeaders() {
        List<String> paths = new WebConsole().paths();
        assertEquals(WebConsole.FILES.size(), paths.size());
        assertTrue(paths.contains("/") && paths.contains("/ui/main.js"), paths.toString());
        for (String path : paths) {
            ControlHttp.Reply r = http.get(path, null);
            assertEquals(200, r.status(), path);
            assertTrue(r.body().length() > 100, path);
            Map<String, String> h = r.headers();
            assertTrue(h.get("content-security-policy").startsWith("default-src 'self'"), path);
            assertFalse(h.get("content-security-policy").contains("unsafe"), path);
            assertEquals("nosniff", h.get("x-content-type-options"), path);
            assertEquals("DENY", h.get("x-frame-options"), path);
            assertEquals("no-referrer", h.get("referrer-policy"), path);
        }
        assertEquals("text/html; charset=utf-8", http.get("/", null).headers().get("content-type"));
        assertEquals("text/javascript; charset=utf-8", http.get("/ui/api.js", null).headers().get("content-type"));
        assertEquals("text/css; charset=utf-8", http.get("/ui/app.css", null).headers().get("content-type"));
    }

    @Test
    void onlyDeclaredFilesResolveAndDataStaysClosed() {
        assertEquals(404, http.get("/ui/secret.js", null).status());
        assertEquals(404, http.get("/ui/../index.html", null).status());
        assertEquals(404, http.get("/index.html", null).status());
        assertEquals(405, http.call("POST", "/", null, Map.of()).status());
        assertEquals(401, http.get("/api/v1/console/globalSession/query?pageNum=1&pageSize=10", null).status());
        String client = http.token(TestSecurity.CLIENT);
        assertEquals(403, http.get("/api/v1/console/globalSession/query?pageNum=1&pageSize=10", client).status());
        assertThrows(IllegalArgumentException.class, () -> server.addAssetRoute("/api/v1/console/x",
                (ctx, request, keepAlive, caller) -> { }));
        assertThrows(IllegalArgumentException.class, () -> server.addAssetRoute("/admin/v1/members",
                (ctx, request, keepAlive, caller) -> { }));
    }

    private static String resource(String file) throws IOException {
        try (InputStream in = WebConsole.class.getResourceAsStream("/io/tessera/coordinator/webconsole/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** What the CSP would block (inline code, styles) and what would let data become markup. */
    @Test
    void filesKeepTheRulesTheHeadersRelyOn() throws IOException {
        String html = resource("index.html");
        assertFalse(Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>").matcher(html).find(), "inline <script>");
        assertFalse(Pattern.compile("\\sstyle=|<style|\\son[a-z]+=").matcher(html).find(), "inline style or handler");
        for (String file : WebConsole.FILES) {
            if (file.endsWith(".js")) {
                String js = resource(file);
                for (String banned : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write",
                        "eval(", "new Function", "setAttribute('style'", "localStorage")) {
                    assertFalse(js.contains(banned), file + " uses " + banned);
                }
            }
        }
    }
}
