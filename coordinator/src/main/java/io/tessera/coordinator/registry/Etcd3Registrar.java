package io.tessera.coordinator.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.coordinator.config.ConfigException;
import io.tessera.coordinator.config.RegistryConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Seata's etcd v3 registry layout (EtcdRegistryServiceImpl): the flat key
 * {@code registry-seata-<cluster>-<ip>:<port>} with value {@code <ip>:<port>}, attached to a lease
 * ({@code registry.etcd3.lease-ttl-seconds}, Seata's 10 s by default) that is kept alive at a third of
 * its TTL; a dead node's key goes when its lease expires. Clients read the prefix
 * {@code registry-seata-<cluster>} and watch it.
 *
 * <p>Speaks etcd's v3 JSON gateway ({@code /v3/...}, served by etcd 3.4+ on the client port) over the
 * JDK's HTTP client, the same v3 calls jetcd makes over gRPC, without jetcd's gRPC and Netty stack.
 */
public final class Etcd3Registrar implements Registrar {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<URI> endpoints;
    private final String key;
    private final String value;
    private final int ttlSeconds;
    private final HttpClient http;
    private final RenewalLoop loop;
    /** Loop thread only: the endpoint in use, and the lease (0 = none granted). */
    private int endpoint;
    private long leaseId;

    public Etcd3Registrar(RegistryConfig config, String advertisedAddress) {
        this.endpoints = endpoints(config.get("registry.etcd3.serverAddr"));
        this.key = "registry-seata-" + config.get("registry.etcd3.cluster") + "-" + advertisedAddress;
        this.value = advertisedAddress;
        this.ttlSeconds = config.intValue("registry.etcd3.lease-ttl-seconds");
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();
        RegistrationState state = new RegistrationState("etcd3 " + endpoints + " " + key);
        this.loop = new RenewalLoop("tessera-registry-etcd3", state, this::keepOrGrant, this::failed, this::revoke,
                2 * TIMEOUT.toMillis() + 1_000);
    }

    /** A comma list of URLs as jetcd's endpoints take; a bare host:port means http. */
    private static List<URI> endpoints(String serverAddr) {
        List<URI> out = new ArrayList<>();
        for (String item : serverAddr.split(",")) {
            String s = item.trim();
            if (s.isEmpty()) {
                continue;
            }
            if (!s.contains("://")) {
                s = "http://" + s;
            }
            try {
                URI uri = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
                if (uri.getHost() == null) {
                    throw new IllegalArgumentException();
                }
                out.add(uri);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("registry.etcd3.serverAddr: '" + item + "' is not a URL");
            }
        }
        if (out.isEmpty()) {
            throw new ConfigException("registry.etcd3.serverAddr is empty");
        }
        return List.copyOf(out);
    }

    /** The key this node keeps alive. */
    public String key() {
        return key;
    }

    @Override
    public boolean isRegistered() {
        return loop.isRegistered();
    }

    @Override
    public void start() {
        loop.start();
    }

    private long keepOrGrant() throws IOException, InterruptedException {
        if (leaseId != 0 && !keepAlive()) {
            leaseId = 0; // expired (etcd was unreachable longer than the TTL): grant a new one
        }
        if (leaseId == 0) {
            long lease = call("/v3/lease/grant", Map.of("TTL", ttlSeconds)).path("ID").asLong();
            call("/v3/kv/put", Map.of("key", b64(key), "value", b64(value), "lease", String.valueOf(lease)));
            leaseId = lease;
        }
        return Math.max(500, ttlSeconds * 1_000L / 3);
    }

    private void failed() {
        endpoint = (endpoint + 1) % endpoints.size();
    }

    /** @return false when etcd no longer knows the lease (its answer carries no TTL) */
    private boolean keepAlive() throws IOException, InterruptedException {
        JsonNode result = call("/v3/lease/keepalive", Map.of("ID", String.valueOf(leaseId))).path("result");
        return result.path("TTL").asLong(0) > 0;
    }

    private JsonNode call(String path, Map<String, Object> body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(endpoints.get(endpoint).resolve(path))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("etcd " + path + " answered HTTP " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Deletes the key and revokes the lease if etcd answers; otherwise the lease expires on its own. */
    @Override
    public void close() {
        loop.close();
    }

    private boolean revoke() throws IOException, InterruptedException {
        if (leaseId == 0) {
            return false;
        }
        call("/v3/kv/deleterange", Map.of("key", b64(key)));
        call("/v3/lease/revoke", Map.of("ID", String.valueOf(leaseId)));
        return true;
    }
}
