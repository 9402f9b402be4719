package io.tessera.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/**
 * The control-port calls the CLI needs: /health (leader discovery), login with the admin role, the backup
 * download and the auth admin API.
 */
final class ClusterClient {
    private static final Duration SHORT = Duration.ofSeconds(5);
    /** A credentials change hashes the password (PBKDF2) and replicates it: more than a plain call. */
    private static final Duration CHANGE = Duration.ofSeconds(30);

    private final List<String> addresses;
    private final String username;
    private final String password;
    private final Duration backupTimeout;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(SHORT).build();
    private final ObjectMapper mapper = new ObjectMapper();

    ClusterClient(List<String> addresses, String username, String password, Duration backupTimeout) {
        if (addresses == null || addresses.isEmpty()) {
            throw new AdminException("--cluster needs at least one control address host:port");
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
            }
        }
        throw new AdminException("no leader found: " + String.join("; ", problems));
    }

    /** Asks {@code leader} for a backup and writes the body to {@code target}. */
    void downloadBackup(String leader, Path target) throws IOException {
        HttpRequest req = HttpRequest.newBuilder(uri(leader, SnapshotRoute.PATH))
                .timeout(backupTimeout)
                .header("Authorization", login(leader))
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<Path> r = send(req, HttpResponse.BodyHandlers.ofFile(target));
        if (r.statusCode() == 200) {
            return;
        }
        String body = Files.exists(target) ? Files.readString(target) : "";
        throw refused(leader, "the backup", r.statusCode(), body);
    }

    /** {@code POST /admin/v1/auth/rotate-token-key} on the first member that takes it; the answer's body. */
    JsonNode rotateTokenKey() {
        return onAnyMember("the key rotation", address -> HttpRequest.newBuilder(
                uri(address, "/admin/v1/auth/rotate-token-key")).timeout(CHANGE)
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** {@code PUT /admin/v1/auth/credentials} on the first member that takes it; the answer's body. */
    JsonNode setCredentials(String role, String newUsername, String newPassword) throws IOException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("role", role);
        body.put("username", newUsername);
        body.put("password", newPassword);
        byte[] json = mapper.writeValueAsBytes(body);
        return onAnyMember("the credentials change", address -> HttpRequest.newBuilder(
                uri(address, "/admin/v1/auth/credentials")).timeout(CHANGE)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(json)));
    }

    /** {@code GET /admin/v1/members} on the first member that answers; the answer's body. */
    JsonNode listMembers() {
        return onFirstAnswering("the member listing", SHORT, address -> HttpRequest.newBuilder(
                uri(address, "/admin/v1/members")).timeout(SHORT).GET());
    }

    /**
     * {@code POST /admin/v1/members/<action>} with a JSON body on the first member that answers (a follower
     * has the leader run it); waits up to {@code timeout} plus a margin for the answer.
     */
    JsonNode changeMembers(String action, Map<String, Object> body, Duration timeout) throws IOException {
        byte[] json = mapper.writeValueAsBytes(body);
        Duration wait = timeout.plusSeconds(15);
        return onFirstAnswering("the membership change", wait, address -> HttpRequest.newBuilder(
                uri(address, "/admin/v1/members/" + action)).timeout(wait)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)));
    }

    /**
     * A console API call ({@code /api/v1/console/...} with its query string) on the first member that
     * answers; every answer is final (an action is not repeated elsewhere). The Seata envelope is returned
     * as it came; a code other than "200" is refused with its message.
     */
    JsonNode console(String method, String pathAndQuery) {
        JsonNode answer = onFirstAnswering("the console call", CHANGE, address -> HttpRequest.newBuilder(
                uri(address, pathAndQuery)).timeout(CHANGE).method(method, HttpRequest.BodyPublishers.noBody()));
        if (!"200".equals(answer.path("code").asText())) {
            throw new AdminException("refused: " + answer.path("message").asText(answer.toString()));
        }
        return answer;
    }

    /**
     * Like {@link #onAnyMember} but every HTTP answer is final: a membership change answered 503 ("not
     * confirmed") may have run in part, so it is reported, not repeated elsewhere. Only members that cannot
     * be reached (or not log in yet) are skipped.
     */
    private JsonNode onFirstAnswering(String what, Duration timeout, RequestFor request) {
        List<String> problems = new ArrayList<>();
        for (String address : addresses) {
            String token;
            try {
                token = login(address);
            } catch (IOException e) {
                problems.add(address + ": " + e.getMessage());
                continue;
            }
            HttpResponse<String> r;
            try {
                r = send(request.at(address).header("Authorization", token).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (java.net.http.HttpTimeoutException e) {
                throw new AdminException(address + " did not answer " + what + " within " + timeout.toSeconds()
                        + " s; it may still complete: list the members to see");
            } catch (IOException e) {
                problems.add(address + ": " + e.getMessage());
                continue;
            }
            if (r.statusCode() == 200) {
                try {
                    return mapper.readTree(r.body());
                } catch (IOException e) {
                    throw new AdminException(address + " answered " + what + " with no JSON: " + r.body());
                }
            }
            throw refused(address, what, r.statusCode(), r.body());
        }
        throw new AdminException(what + " failed: no member answered: " + String.join("; ", problems));
    }

    private interface RequestFor {
        HttpRequest.Builder at(String address);
    }

    /**
     * Any member can take an admin change (a follower forwards it to the leader). Members that cannot be
     * reached, or answer 503 (no leader, not confirmed), are skipped; a refusal (400, 401, 403) is final.
     */
    private JsonNode onAnyMember(String what, RequestFor request) {
        List<String> problems = new ArrayList<>();
        for (String address : addresses) {
            try {
                HttpRequest req = request.at(address).header("Authorization", login(address)).build();
                HttpResponse<String> r = send(req, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return mapper.readTree(r.body());
                }
                if (r.statusCode() != 503) {
                    throw refused(address, what, r.statusCode(), r.body());
                }
                problems.add(address + ": " + message(r.body()));
            } catch (IOException e) {
                problems.add(address + ": " + e.getMessage());
            }
        }
        throw new AdminException(what + " failed on every member: " + String.join("; ", problems));
    }

    /** Logs in at {@code address} with the admin credentials; "Bearer …". */
    private String login(String address) throws IOException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("username", username);
        body.put("password", password);
        HttpRequest req = HttpRequest.newBuilder(uri(address, "/api/v1/auth/login")).timeout(SHORT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(body))).build();
        HttpResponse<String> r = send(req, HttpResponse.BodyHandlers.ofString());
        JsonNode answer = mapper.readTree(r.body());
        String code = answer.path("code").asText();
        if (r.statusCode() == 503) {
            throw new IOException("not ready: " + answer.path("message").asText());
        }
        if (!"200".equals(code)) {
            throw new AdminException("login to " + address + " as '" + username + "' refused: "
                    + answer.path("message").asText(code));
        }
        return answer.path("data").asText();
    }

    private AdminException refused(String address, String what, int status, String body) {
        String message = message(body);
        return switch (status) {
            case 401 -> new AdminException(address + " refused " + what + ": unauthorized (" + message + ")");
            case 403 -> new AdminException(address + " refused " + what + ": " + message
                    + " (log in with the admin role's credentials)");
            default -> new AdminException(address + " answered HTTP " + status + " to " + what + ": " + message);
        };
    }

    private String message(String body) {
        try {
            return mapper.readTree(body).path("message").asText(body);
        } catch (IOException notJson) {
            return body;
        }
    }

    private <T> HttpResponse<T> send(HttpRequest req, HttpResponse.BodyHandler<T> handler) throws IOException {
        try {
            return http.send(req, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminException("interrupted");
        }
    }

    private JsonNode getJson(String address, String path) throws IOException {
        HttpRequest req = HttpRequest.newBuilder(uri(address, path)).timeout(SHORT).GET().build();
        HttpResponse<String> r = send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("HTTP " + r.statusCode() + " for " + path + ": " + message(r.body()));
        }
        return mapper.readTree(r.body());
    }

    private static URI uri(String address, String path) {
        String a = address.startsWith("http://") ? address : "http://" + address;
        return URI.create(a + path);
    }
}
