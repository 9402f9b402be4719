package io.tessera.coordinator.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.coordinator.config.RegistryConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Seata's Eureka registration (EurekaRegistryServiceImpl with CustomEurekaInstanceConfig on eureka-client's
 * MyDataCenterInstanceConfig): application {@code registry.eureka.application} (Eureka upper-cases it;
 * clients look up their vgroup mapping value upper-cased), instance id {@code <ip>:<application>:<port>},
 * hostName and ipAddr both the advertised host, the transaction port as the non-secure port, vipAddress
 * {@code <host>:<port>}, metadata {@code weight}, status UP and the lease a Seata server keeps (renew every
 * 30 s, expire after 90 s, both settable). Clients keep the UP instances of the application and use
 * ipAddr:port.
 *
 * <p>Speaks Eureka's REST API ({@code POST /apps/<APP>} register, {@code PUT /apps/<APP>/<id>} renew,
 * {@code DELETE} cancel), the calls eureka-client makes, over the JDK's HTTP client. A renewal answered 404
 * (the server evicted or restarted) registers again. A killed node's instance goes by Eureka's lease expiry.
 */
public final class EurekaRegistrar implements Registrar {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<EurekaServiceUrl> serviceUrls;
    private final String app;
    private final String instanceId;
    private final String host;
    private final int port;
    private final String weight;
    private final int renewalSeconds;
    private final int expirationSeconds;
    private final HttpClient http;
    private final RenewalLoop loop;
    /** Loop thread only: the service URL in use, and when the registration there was last made. */
    private int current;
    private long dirtyTimestamp;

    public EurekaRegistrar(RegistryConfig config, String advertisedAddress) {
        this.serviceUrls = EurekaServiceUrl.parseList("registry.eureka.serviceUrl",
                config.get("registry.eureka.serviceUrl"));
        String application = config.get("registry.eureka.application");
        InetSocketAddress endpoint = Endpoints.hostPort("advertised address", advertisedAddress);
        this.host = endpoint.getHostString();
        this.port = endpoint.getPort();
        this.app = application.toUpperCase(Locale.ROOT);
        this.instanceId = host + ":" + application + ":" + port;
        this.weight = config.get("registry.eureka.weight");
        this.renewalSeconds = config.intValue("registry.eureka.lease-renewal-interval-seconds");
        this.expirationSeconds = config.intValue("registry.eureka.lease-expiration-duration-seconds");
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();
        // The URLs as logged: user info (basic-auth credentials) is never part of the text.
        RegistrationState state = new RegistrationState("eureka " + serviceUrls + " " + app + "/" + instanceId);
        this.loop = new RenewalLoop("tessera-registry-eureka", state, this::renewOrRegister, this::failed,
                this::cancel, TIMEOUT.toMillis() + 1_000);
    }

    /** The Eureka application (upper-case) and the instance id this node keeps renewed. */
    public String app() {
        return app;
    }

    public String instanceId() {
        return instanceId;
    }

    @Override
    public boolean isRegistered() {
        return loop.isRegistered();
    }

    @Override
    public void start() {
        loop.start();
    }

    private long renewOrRegister() throws IOException, InterruptedException {
        if (dirtyTimestamp == 0 || !renew()) {
            register();
        }
        return renewalSeconds * 1_000L;
    }

    private void failed() {
        dirtyTimestamp = 0; // the next server may not know the instance: register there
        current = (current + 1) % serviceUrls.size();
    }

    private void register() throws IOException, InterruptedException {
        long now = System.currentTimeMillis();
        byte[] body = JSON.writeValueAsBytes(instance(now));
        int status = send("POST", "apps/" + app, HttpRequest.BodyPublishers.ofByteArray(body));
        if (status != 204 && status != 200) {
            throw new IOException("eureka register answered HTTP " + status);
        }
        dirtyTimestamp = now;
    }

    /** @return false when the server does not know the instance (evicted, restarted): register again */
    private boolean renew() throws IOException, InterruptedException {
        int status = send("PUT", instancePath() + "?status=UP&lastDirtyTimestamp=" + dirtyTimestamp,
                HttpRequest.BodyPublishers.noBody());
        if (status == 404) {
            return false;
        }
        if (status != 200) {
            throw new IOException("eureka renew answered HTTP " + status);
        }
        return true;
    }

    private String instancePath() {
        return "apps/" + app + "/" + URLEncoder.encode(instanceId, StandardCharsets.UTF_8);
    }

    /** The instance document eureka-client 1.10 sends for a Seata server (its JSON codec's field names). */
    private ObjectNode instance(long now) {
        ObjectNode i = JSON.createObjectNode();
        i.put("instanceId", instanceId);
        i.put("hostName", host);
        i.put("app", app);
        i.put("ipAddr", host);
        i.put("status", "UP");
        i.put("overriddenStatus", "UNKNOWN");
        i.putObject("port").put("$", port).put("@enabled", "true");
        i.putObject("securePort").put("$", 443).put("@enabled", "false");
        i.put("countryId", 1);
        i.putObject("dataCenterInfo")
                .put("@class", "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo")
                .put("name", "MyOwn");
        i.putObject("leaseInfo")
                .put("renewalIntervalInSecs", renewalSeconds)
                .put("durationInSecs", expirationSeconds);
        i.putObject("metadata").put("weight", weight);
        i.put("vipAddress", host + ":" + port);
        i.put("isCoordinatingDiscoveryServer", "false");
        i.put("lastUpdatedTimestamp", String.valueOf(now));
        i.put("lastDirtyTimestamp", String.valueOf(now));
        ObjectNode root = JSON.createObjectNode();
        root.set("instance", i);
        return root;
    }

    private int send(String method, String path, HttpRequest.BodyPublisher body)
            throws IOException, InterruptedException {
        EurekaServiceUrl url = serviceUrls.get(current);
        HttpRequest.Builder request = HttpRequest.newBuilder(url.resolve(path))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .method(method, body);
        url.authorization().ifPresent(a -> request.header("Authorization", a));
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Cancels the lease if Eureka answers (clients drop the instance at their next fetch); otherwise it expires. */
    @Override
    public void close() {
        loop.close();
    }

    private boolean cancel() throws IOException, InterruptedException {
        if (dirtyTimestamp == 0) {
            return false;
        }
        int status = send("DELETE", instancePath(), HttpRequest.BodyPublishers.noBody());
        return status == 200 || status == 404;
    }
}
