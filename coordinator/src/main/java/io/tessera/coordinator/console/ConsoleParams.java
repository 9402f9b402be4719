package io.tessera.coordinator.console;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameters of a console request as Seata binds them: the query string (every console call of Seata's
 * front end, DELETE and PUT included) and a url-encoded form body; the first value per name. Unknown
 * names are ignored (the front end sends namespace, cluster, vgroup and, for globalLock/delete, the whole
 * table row); a blank value counts as absent, as Spring binds it for the optional filters.
 */
final class ConsoleParams {
    private final Map<String, String> values;

    private ConsoleParams(Map<String, String> values) {
        this.values = values;
    }

    static ConsoleParams of(FullHttpRequest request) {
        Map<String, String> m = new HashMap<>();
        add(m, new QueryStringDecoder(request.uri()).parameters());
        String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (request.content().isReadable() && (type == null || type.toLowerCase().startsWith("application/x-www-form-urlencoded"))) {
            add(m, new QueryStringDecoder(request.content().toString(StandardCharsets.UTF_8), StandardCharsets.UTF_8,
                    false).parameters());
        }
        return new ConsoleParams(m);
    }

    private static void add(Map<String, String> m, Map<String, List<String>> decoded) {
        decoded.forEach((k, v) -> {
            if (!v.isEmpty()) {
                m.putIfAbsent(k, v.get(0));
            }
        });
    }

    /** The value, or null when absent or blank. */
    String text(String name) {
        String v = values.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    /** An integer parameter; absent = {@code absent}. */
    int integer(String name, int absent) {
        String v = text(name);
        if (v == null) {
            return absent;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Wrong parameter for " + name + ": not a number");
        }
    }

    /** A long parameter or null; {@code lenient}: a non-number counts as absent (Seata's lock filters). */
    Long number(String name, boolean lenient) {
        String v = text(name);
        if (v == null) {
            return null;
        }
        try {
            return Long.valueOf(v);
        } catch (NumberFormatException e) {
            if (lenient) {
                return null;
            }
            throw new IllegalArgumentException("Wrong parameter for " + name + ": not a number");
        }
    }

    boolean flag(String name) {
        return "true".equalsIgnoreCase(text(name));
    }
}
