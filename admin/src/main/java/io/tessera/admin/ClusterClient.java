package io.tessera.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.coordinator.backup.BackupException;
import io.tessera.coordinator.backup.SnapshotRoute;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The control-port calls the CLI needs: /health (leader discovery), login, and the backup download. */
final class ClusterClient {
    private static final Duration SHORT = Duration.ofSeconds(5);

    private final List<String> addresses;
    private final String username;
    private final String password;
    private final Duration backupTimeout;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(SHORT).build();
    private final ObjectMapper mapper = new ObjectMapper();

    ClusterClient(List<String> addresses, String username, String password, Duration backupTimeout) {
        if (addresses == null || addresses.isEmpty()) {
            throw new BackupException("--cluster needs at least one control address host:port");
        }
        this.addresses = List.copyOf(addresses);
        this.username = username;
        this.password = password;
        this.backupTimeout = backupTimeout;
    }

    /** The leader's control address, as the first reachable member reports it. */
    String findLeader() {
        List<String> problems = new ArrayList<>();
        for (String address : addresses) {
            try {
                JsonNode health = getJson(address, "/health");
                if ("LEADER".equals(health.path("role").asText())) {
                    return address;
                }
                for (JsonNode m : health.path("members")) {
                    if ("LEADER".equals(m.path("role").asText()) && m.hasNonNull("control")) {
                        return m.get("control").asText();
                    }
                }
                problems.add(address + ": no leader known (role " + health.path("role").asText() + ")");
            } catch (IOException e) {
                problems.add(address + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BackupException("interrupted");
            }
        }
        throw new BackupException("no leader found: " + String.join("; ", problems));
    }

    /** Asks {@code leader} for a backup and writes the body to {@code target}. */
    void downloadBackup(String leader, Path target) throws IOException {
        HttpRequest.Builder req = HttpRequest.newBuilder(uri(leader, SnapshotRoute.PATH))
                .timeout(backupTimeout)
                .POST(HttpRequest.BodyPublishers.noBody());
        login(leader).ifPresent(token -> req.header("Authorization", token));
        HttpResponse<Path> r;
        try {
            r = http.send(req.build(), HttpResponse.BodyHandlers.ofFile(target));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupException("interrupted");
        }
        if (r.statusCode() == 200) {
            return;
        }
        String body = Files.exists(target) ? Files.readString(target) : "";
        String message = body;
        try {
            message = mapper.readTree(body).path("message").asText(body);
        } catch (IOException notJson) {
            // keep the raw body
        }
        if (r.statusCode() == 401) {
            throw new BackupException(leader + " refused the backup: unauthorized (check --username/--password)");
        }
        throw new BackupException(leader + " answered HTTP " + r.statusCode() + ": " + message);
    }

    private java.util.Optional<String> login(String address) throws IOException {
        if (username == null || username.isEmpty()) {
            return java.util.Optional.empty();
        }
        Map<String, String> body = new LinkedHashMap<>();
        body.put("username", username);
        body.put("password", password == null ? "" : password);
        HttpRequest req = HttpRequest.newBuilder(uri(address, "/api/v1/auth/login")).timeout(SHORT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(body))).build();
        try {
            JsonNode answer = mapper.readTree(http.send(req, HttpResponse.BodyHandlers.ofString()).body());
            if (!"200".equals(answer.path("code").asText())) {
                throw new BackupException("login to " + address + " as '" + username + "' refused");
            }
            return java.util.Optional.of(answer.path("data").asText());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupException("interrupted");
        }
    }

    private JsonNode getJson(String address, String path) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(uri(address, path)).timeout(SHORT).GET().build();
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("HTTP " + r.statusCode() + " for " + path);
        }
        return mapper.readTree(r.body());
    }

    private static URI uri(String address, String path) {
        String a = address.startsWith("http://") ? address : "http://" + address;
        return URI.create(a + path);
    }
}
