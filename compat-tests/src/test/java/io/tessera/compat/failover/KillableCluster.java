package io.tessera.compat.failover;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * What tests outside this package need of a {@link ProcessCluster} (three node processes started by
 * scripts/cluster.sh): the client's registry settings, a leader kill -9, and the leftovers (held global
 * locks, live transactions) as the console API reports them with the admin credentials.
 */
public final class KillableCluster implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Ended statuses; every other status in the console overview is a live transaction. */
    private static final Set<String> FINAL = Set.of("Committed", "CommitFailed", "Rollbacked", "RollbackFailed",
            "TimeoutRollbacked", "TimeoutRollbackFailed", "Finished");

    private final ProcessCluster cluster;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private KillableCluster(ProcessCluster cluster) {
        this.cluster = cluster;
    }

    /** Three nodes started and agreed on a leader; node logs are kept under target/{@code logsName}. */
    public static KillableCluster start(Path dir, String logsName) throws IOException {
        ProcessCluster cluster = new ProcessCluster(dir, 3, logsName);
        try {
            return new KillableCluster(cluster.start());
        } catch (RuntimeException e) {
            // A start that failed half-way (e.g. timed out) still has node processes: stop them.
            try {
                cluster.close();
            } catch (RuntimeException stopFailure) {
                e.addSuppressed(stopFailure);
            }
            throw e;
        }
    }

    /** {@code registry.raft.serverAddr}: every node's control address. */
    public String controlAddresses() {
        return cluster.controlAddresses();
    }

    public String registryUsername() {
        return cluster.credential("TESSERA_REGISTRY_USERNAME");
    }

    public String registryPassword() {
        return cluster.credential("TESSERA_REGISTRY_PASSWORD");
    }

    /**
     * kill -9 of the current leader; returns once another node is leader. The victim stays down (two of
     * three nodes keep the quorum) and is left out of later checks. @return the victim's node id
     */
    public String killLeader() {
        String leader = cluster.awaitOneLeaderAgreed();
        cluster.kill(leader);
        cluster.awaitNewLeader(leader);
        cluster.forget(leader);
        cluster.awaitOneLeaderAgreed();
        return leader;
    }

    /** Waits until no live node holds a global lock or a live transaction (console API, admin role). */
    public void awaitNoLocksOrLiveTransactions(Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> {
                    for (ProcessCluster.Member m : cluster.members()) {
                        if (leftovers(m.controlAddress()).values().stream().anyMatch(v -> v != 0)) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    /** Held locks and live transactions on the node at {@code control}. */
    public Map<String, Long> leftovers(String control) throws IOException, InterruptedException {
        String token = login(control);
        JsonNode locks = get(control, "/api/v1/console/globalLock/query?pageNum=1&pageSize=10", token);
        JsonNode overview = get(control, "/api/v1/overview/getData", token);
        long live = 0;
        for (JsonNode row : overview.path("data")) {
            if (!FINAL.contains(row.path("name").asText())) {
                live += row.path("count").asLong();
            }
        }
        return Map.of("locks", locks.path("total").asLong(), "live", live);
    }

    private String login(String control) throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(Map.of("username", cluster.credential("TESSERA_ADMIN_USERNAME"),
                "password", cluster.credential("TESSERA_ADMIN_PASSWORD")));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + control + "/api/v1/auth/login"))
                .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body()).path("data").asText();
    }

    private JsonNode get(String control, String path, String token) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + control + path))
                .timeout(Duration.ofSeconds(5)).header("Authorization", token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(path + " on " + control + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    @Override
    public void close() {
        cluster.close();
    }
}
