package io.tessera.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.coordinator.config.RegistryConfig;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code registry.type=eureka} against a real Eureka server ({@link EurekaServer}); the client is
 * seata-all's own eureka registry over Netflix eureka-client 1.10. Nodes register in application
 * {@code DEFAULT} (the client upper-cases its vgroup mapping value {@code default}) and renew every second
 * on a 2 s lease; the killed node goes when Eureka evicts its expired lease.
 */
class EurekaRegistryTest extends RegistryDiscoveryTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private EurekaServer server;

    @Override
    void startServer(Path dir) throws Exception {
        server = EurekaServer.start(dir);
    }

    @Override
    InetSocketAddress serverAddress() {
        return new InetSocketAddress("127.0.0.1", server.port());
    }

    @Override
    RegistryConfig nodeRegistry(String hostPort) {
        return RegistryConfig.of(Map.of("registry.type", "eureka",
                "registry.eureka.serviceUrl", "http://" + hostPort + "/eureka",
                "registry.eureka.lease-renewal-interval-seconds", "1",
                "registry.eureka.lease-expiration-duration-seconds", "2"));
    }

    @Override
    void configureClient() {
        System.setProperty("registry.type", "eureka");
        System.setProperty("registry.eureka.serviceUrl", "http://127.0.0.1:" + server.port() + "/eureka");
    }

    /** ipAddr:port of the UP instances of application DEFAULT, as the server itself lists them. */
    @Override
    Set<String> registered() throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(server.url("apps/DEFAULT"))
                .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofByteArray());
        Set<String> out = new TreeSet<>();
        if (r.statusCode() == 404) {
            return out; // no instance left: Eureka drops the application
        }
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET apps/DEFAULT answered HTTP " + r.statusCode());
        }
        for (JsonNode i : JSON.readTree(r.body()).path("application").path("instance")) {
            if ("UP".equals(i.path("status").asText())) {
                out.add(i.path("ipAddr").asText() + ":" + i.path("port").path("$").asInt());
            }
        }
        return out;
    }

    @Override
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }
}
