package io.tessera.coordinator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.coordinator.config.NodeConfig.Credentials;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A plain HTTP/1.1 client for the control port over a real socket, one connection per call
 * ({@code Connection: close}). Unlike java.net.http it can send from a chosen local address (e.g.
 * 127.0.0.2 to look like another host to the login throttle).
 */
public final class ControlHttp {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String host;
    private final int port;
    private final String localIp;

    public ControlHttp(String host, int port) {
        this(host, port, null);
    }

    private ControlHttp(String host, int port, String localIp) {
        this.host = host;
        this.port = port;
        this.localIp = localIp;
    }

    /** The same server, seen from another source address. */
    public ControlHttp from(String localIp) {
        return new ControlHttp(host, port, localIp);
    }

    public record Reply(int status, Map<String, String> headers, String body) {
        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        /** The Seata envelope's code ("200", "401", …). */
        public String code() {
            return json().path("code").asText();
        }
    }

    public Reply get(String path, String token) {
        return send("GET", path, token, null, null);
    }

    public Reply post(String path, String token, String contentType, String body) {
        return send("POST", path, token, contentType, body);
    }

    public Reply put(String path, String token, String contentType, String body) {
        return send("PUT", path, token, contentType, body);
    }

    public Reply login(String username, String password) {
        try {
            return post("/api/v1/auth/login", null, "application/json",
                    MAPPER.writeValueAsString(Map.of("username", username, "password", password)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Logs in and returns "Bearer …"; fails the test if the login is refused. */
    public String token(Credentials c) {
        Reply r = login(c.username(), c.password());
        if (r.status() != 200 || !"200".equals(r.code())) {
            throw new AssertionError("login as " + c.username() + " refused: " + r);
        }
        return r.json().get("data").asText();
    }

    /** A socket to the server (from the chosen local address), for tests that write raw bytes. */
    public Socket connect() throws IOException {
        Socket s = new Socket();
        if (localIp != null) {
            s.bind(new InetSocketAddress(localIp, 0));
        }
        s.connect(new InetSocketAddress(host, port), 5_000);
        s.setSoTimeout(30_000);
        return s;
    }

    public Reply delete(String path, String token) {
        return send("DELETE", path, token, null, null);
    }

    /** Any method with extra request headers (e.g. what Seata's console front end sends). */
    public Reply call(String method, String path, String token, Map<String, String> headers) {
        return send(method, path, token, null, null, headers);
    }

    private Reply send(String method, String path, String token, String contentType, String body) {
        return send(method, path, token, contentType, body, Map.of());
    }

    private Reply send(String method, String path, String token, String contentType, String body,
            Map<String, String> headers) {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host).append(':').append(port).append("\r\n")
                .append("Connection: close\r\n")
                .append("Content-Length: ").append(content.length).append("\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (token != null) {
            head.append("Authorization: ").append(token).append("\r\n");
        }
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("\r\n");
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            out.write(content);
            out.flush();
            return parse(readAll(s.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        in.transferTo(b);
        return b.toByteArray();
    }

    private static Reply parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IllegalStateException("no complete HTTP answer: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        String body = new String(raw, end + 4, raw.length - end - 4, StandardCharsets.UTF_8);
        return new Reply(status, headers, body);
    }
}
