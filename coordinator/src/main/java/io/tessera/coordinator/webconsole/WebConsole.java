package io.tessera.coordinator.webconsole;

import io.tessera.coordinator.control.ControlServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The web console's front end: plain HTML, ES modules and CSS shipped in this jar, served by every node
 * at {@code /} and {@code /ui/*} of its control port. The files are public (they hold no data and are the
 * same in every build); everything they show comes from the admin-only APIs (console, members, metrics),
 * called with the token the login page obtains. Every file is listed here, so the routes are declared like
 * every other control route and nothing else under {@code /ui/} resolves.
 */
public final class WebConsole {
    /** Resource folder of the files, relative to this class. */
    private static final String FOLDER = "/io/tessera/coordinator/webconsole/";
    static final List<String> FILES = List.of("index.html", "app.css", "favicon.svg", "main.js", "api.js",
            "dom.js", "confirm.js", "login.js", "cluster.js", "charts.js", "metrics.js", "transactions.js",
            "transaction.js", "status.js");

    private final Map<String, StaticAsset> routes = new LinkedHashMap<>();

    /** Loads every file now, so a build missing one fails when the node starts, not in a browser. */
    public WebConsole() {
        for (String file : FILES) {
            String path = file.equals("index.html") ? "/" : "/ui/" + file;
            routes.put(path, new StaticAsset(read(file), contentType(file)));
        }
    }

    /** Registers every file's route on {@code server} (before it starts). */
    public void register(ControlServer server) {
        routes.forEach(server::addAssetRoute);
    }

    /** The paths served, e.g. for tests and docs. */
    public List<String> paths() {
        return List.copyOf(routes.keySet());
    }

    private static byte[] read(String file) {
        try (InputStream in = WebConsole.class.getResourceAsStream(FOLDER + file)) {
            if (in == null) {
                throw new IllegalStateException("web console file " + FOLDER + file + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String contentType(String file) {
        if (file.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (file.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (file.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        if (file.endsWith(".svg")) {
            return "image/svg+xml";
        }
        throw new IllegalArgumentException("no content type for " + file);
    }
}
