package io.tessera.coordinator.control;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Query-string and url-encoded form parameters of a request, first value per name; form wins. */
final class HttpParams {
    private HttpParams() {
    }

    static Map<String, String> of(FullHttpRequest request) {
        Map<String, String> params = new HashMap<>();
        add(params, new QueryStringDecoder(request.uri()).parameters());
        String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        boolean form = type == null
                || type.toLowerCase().startsWith(HttpHeaderValues.APPLICATION_X_WWW_FORM_URLENCODED.toString());
        if (form && request.content().isReadable()) {
            String body = request.content().toString(StandardCharsets.UTF_8);
            add(params, new QueryStringDecoder(body, StandardCharsets.UTF_8, false).parameters());
        }
        return params;
    }

    /**
     * Why the request's URI or url-encoded form body cannot be decoded (a bad %-escape, say), or empty when
     * both decode: checked once before routing, so no route meets a decoding exception.
     */
    static java.util.Optional<String> malformed(FullHttpRequest request) {
        try {
            new QueryStringDecoder(request.uri()).path();
            of(request);
            return java.util.Optional.empty();
        } catch (IllegalArgumentException e) {
            return java.util.Optional.of("malformed request: " + io.tessera.codec.text.ClientText.of(String.valueOf(e.getMessage()), 200));
        }
    }

    private static void add(Map<String, String> params, Map<String, List<String>> decoded) {
        decoded.forEach((name, values) -> {
            if (!values.isEmpty()) {
                params.put(name, values.get(0));
            }
        });
    }
}
