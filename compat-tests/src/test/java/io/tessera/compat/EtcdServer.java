package io.tessera.compat;

import static org.awaitility.Awaitility.await;

import io.tessera.compat.failover.Checkout;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real etcd v3 server (Debian's etcd-server package, a single Go binary) as a child process on free
 * loopback ports with its data in a temp dir. When the binary is missing the test installs the package
 * (CI runs as root on Debian); only when that is impossible is the test skipped, saying why.
 */
final class EtcdServer implements AutoCloseable {
    private final Process process;
    private final int clientPort;

    private EtcdServer(Process process, int clientPort) {
        this.process = process;
        this.clientPort = clientPort;
    }

    static EtcdServer start(Path dir) throws IOException, InterruptedException {
        Path binary = binary();
        Files.createDirectories(dir);
        int client = Checkout.freePort();
        int peer = Checkout.freePort();
        String clientUrl = "http://127.0.0.1:" + client;
        String peerUrl = "http://127.0.0.1:" + peer;
        Process p = new ProcessBuilder(binary.toString(), "--name", "t", "--data-dir", dir.resolve("data").toString(),
                "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
                "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
                "--initial-cluster", "t=" + peerUrl)
                .redirectErrorStream(true).redirectOutput(dir.resolve("etcd.log").toFile()).start();
        EtcdServer server = new EtcdServer(p, client);
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            if (!p.isAlive()) {
                throw new IllegalStateException("etcd exited: see " + dir.resolve("etcd.log"));
            }
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(clientUrl + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().contains("true");
        });
        return server;
    }

    private static Path binary() throws IOException, InterruptedException {
        for (String candidate : List.of("/usr/bin/etcd", "/usr/local/bin/etcd")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        if (Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            Process install = new ProcessBuilder("apt-get", "install", "-y", "-q", "etcd-server")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (install.waitFor(5, TimeUnit.MINUTES) && Files.isExecutable(Path.of("/usr/bin/etcd"))) {
                return Path.of("/usr/bin/etcd");
            }
            install.destroyForcibly();
        }
        Assumptions.abort("no etcd server: /usr/bin/etcd is missing and `apt-get install etcd-server` did not"
                + " provide it (needs Debian/Ubuntu and root); install etcd-server to run this test");
        throw new AssertionError("unreachable");
    }

    int clientPort() {
        return clientPort;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
