package io.tessera.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.coordinator.config.RegistryConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code registry.type=etcd3} against a real etcd 3.4 server ({@link EtcdServer}); the client is
 * seata-all's own etcd3 registry over jetcd. Nodes keep {@code registry-seata-default-<ip>:<port>} on a
 * 4 s lease; the killed node's key goes when its lease expires.
 */
class Etcd3RegistryTest extends RegistryDiscoveryTestBase {
    private static final String PREFIX = "registry-seata-default-";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private EtcdServer server;

    @Override
    void startServer(Path dir) throws Exception {
        server = EtcdServer.start(dir);
    }

    @Override
    InetSocketAddress serverAddress() {
        return new InetSocketAddress("127.0.0.1", server.clientPort());
    }

    @Override
    RegistryConfig nodeRegistry(String hostPort) {
        return RegistryConfig.of(Map.of("registry.type", "etcd3", "registry.etcd3.serverAddr", "http://" + hostPort,
                "registry.etcd3.lease-ttl-seconds", "4"));
    }

    @Override
    void configureClient() {
        System.setProperty("registry.type", "etcd3");
        System.setProperty("registry.etcd3.serverAddr", "http://127.0.0.1:" + server.clientPort());
    }

    /** The values under the cluster's key prefix (a range read through etcd's v3 JSON gateway). */
    @Override
    Set<String> registered() throws Exception {
        String end = PREFIX.substring(0, PREFIX.length() - 1) + (char) (PREFIX.charAt(PREFIX.length() - 1) + 1);
        byte[] body = JSON.writeValueAsBytes(Map.of("key", b64(PREFIX), "range_end", b64(end)));
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.clientPort() + "/v3/kv/range"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        Set<String> out = new TreeSet<>();
        for (JsonNode kv : JSON.readTree(r.body()).path("kvs")) {
            out.add(new String(Base64.getDecoder().decode(kv.path("value").asText()), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }
}
