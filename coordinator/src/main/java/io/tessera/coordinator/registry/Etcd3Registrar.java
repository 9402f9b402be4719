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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
    private final RegistrationState state;
    private final Backoff backoff = new Backoff(500, 30_000);
    private final ScheduledExecutorService executor;
    /** Executor thread only: the endpoint in use, and the lease (0 = none granted). */
    private int endpoint;
    private long leaseId;
    private volatile boolean closed;

    public Etcd3Registrar(RegistryConfig config, String advertisedAddress) {
        this.endpoints = endpoints(config.get("registry.etcd3.serverAddr"));
        this.key = "registry-seata-" + config.get("registry.etcd3.cluster") + "-" + advertisedAddress;
        this.value = advertisedAddress;
        this.ttlSeconds = config.intValue("registry.etcd3.lease-ttl-seconds");
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();
        this.state = new RegistrationState("etcd3 " + endpoints + " " + key);
        this.executor = Endpoints.thread("tessera-registry-etcd3");
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
        return state.isRegistered();
    }

    @Override
    public void start() {
        executor.execute(this::refresh);
    }

    private void refresh() {
        if (closed) {
            return;
        }
        long delay = Math.max(500, ttlSeconds * 1_000L / 3);
        try {
            if (leaseId != 0 && !keepAlive()) {
                leaseId = 0; // expired (etcd was unreachable longer than the TTL): grant a new one
            }
            if (leaseId == 0) {
                long lease = call("/v3/lease/grant", Map.of("TTL", ttlSeconds)).path("ID").asLong();
                call("/v3/kv/put", Map.of("key", b64(key), "value", b64(value), "lease", String.valueOf(lease)));
                leaseId = lease;
            }
            state.registered();
            backoff.reset();
        } catch (IOException | RuntimeException e) {
            state.failed(e.toString());
            endpoint = (endpoint + 1) % endpoints.size();
            delay = backoff.next();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (!closed) {
            executor.schedule(this::refresh, delay, TimeUnit.MILLISECONDS);
        }
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
        if (closed) {
            return;
        }
        closed = true;
        Future<Boolean> leave = executor.submit(() -> {
            if (leaseId == 0) {
                return false;
            }
            call("/v3/kv/deleterange", Map.of("key", b64(key)));
            call("/v3/lease/revoke", Map.of("ID", String.valueOf(leaseId)));
            return true;
        });
        boolean removed = false;
        try {
            removed = leave.get(2 * TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            leave.cancel(true);
        }
        executor.shutdownNow();
        state.deregistered(removed);
    }
}
