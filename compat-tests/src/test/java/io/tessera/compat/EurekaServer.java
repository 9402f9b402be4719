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

/**
 * A real Eureka server (Spring Cloud Netflix, the eureka-fixture module's runnable jar) as a child JVM
 * on a free loopback port: self-preservation off, eviction every second, no read cache
 * (eureka-fixture's application.properties). Spring Boot 3.5 cannot share the compat tests' classpath,
 * hence a process. The jar is built by the normal build (eureka-fixture comes before compat-tests).
 */
final class EurekaServer implements AutoCloseable {
    private final Process process;
    private final int port;

    private EurekaServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static EurekaServer start(Path dir) throws IOException {
        Path jar = fixtureJar();
        Files.createDirectories(dir);
        int port = Checkout.freePort();
        Path log = dir.resolve("eureka.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // C1 only and a small serial heap: the server starts in about half the time on a busy 2-core box.
        Process p = new ProcessBuilder(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
                "-jar", jar.toString(), "--server.port=" + port))
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        EurekaServer server = new EurekaServer(p, port);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            // Done when the registry answers, or at once when the process died (reported below). Spring Boot
            // starts in about 40 s on an idle 2-core machine; the bound allows for a machine shared with others.
            await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(500)).until(
                    () -> !p.isAlive() || answers(http, server.url("apps")));
            if (!p.isAlive()) {
                throw new IllegalStateException("the Eureka server exited with " + p.exitValue() + "; its log:\n"
                        + tail(log));
            }
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private static boolean answers(HttpClient http, URI uri) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(uri).header("Accept", "application/json").build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        }
    }

    /** The last lines of the server's log (the temp dir holding it is gone when the test reports). */
    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** eureka-fixture/target/tessera-eureka-fixture-*-exec.jar of this checkout. */
    private static Path fixtureJar() throws IOException {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("eureka-fixture"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("eureka-fixture/ not found above " + Path.of("").toAbsolutePath());
        }
        Path target = p.resolve("eureka-fixture/target");
        String hint = ": build it first (mvn -pl eureka-fixture package)";
        if (!Files.isDirectory(target)) {
            throw new IllegalStateException("no " + target + hint);
        }
        try (var files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().endsWith("-exec.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no Eureka server jar in " + target + hint));
        }
    }

    int port() {
        return port;
    }

    /** {@code relative} under the server's Eureka root, {@code http://127.0.0.1:<port>/eureka/}. */
    URI url(String relative) {
        return URI.create("http://127.0.0.1:" + port + "/eureka/").resolve(relative);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
