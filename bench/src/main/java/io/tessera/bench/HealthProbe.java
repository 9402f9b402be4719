package io.tessera.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/**
 * Reads the leader's lastAppliedIndex from the nodes' /health (control ports): the number of Raft
 * entries applied over a window, i.e. the replicated writes the workload caused.
 */
final class HealthProbe {
    private final List<InetSocketAddress> controls;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();

    HealthProbe(List<InetSocketAddress> controls) {
        this.controls = List.copyOf(controls);
    }

    /** The applied index reported by whichever node says it is the leader; empty if none answers so. */
    OptionalLong leaderAppliedIndex() {
        for (InetSocketAddress c : controls) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://" + c.getHostString() + ":" + c.getPort() + "/health"))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    continue;
                }
                JsonNode n = json.readTree(r.body());
                if ("LEADER".equalsIgnoreCase(n.path("role").asText())) {
                    return OptionalLong.of(n.path("lastAppliedIndex").asLong());
                }
            } catch (java.io.IOException e) {
                // try the next node
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }
}
