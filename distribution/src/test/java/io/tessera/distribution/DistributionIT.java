package io.tessera.distribution;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive as an operator gets it: unpacked into a temp dir, {@code bin/tessera-init} makes the credentials
 * and member certificates, {@code bin/tessera-server start} starts the three nodes of {@code conf/} as real
 * processes (on free ports: {@code TESSERA_CLUSTER_MEMBERS} overrides the file's members, as the node reads
 * every key), they become ready, {@code bin/tessera-admin} lists them with the admin role of
 * {@code conf/credentials.env}, and {@code bin/tessera-server stop} ends them.
 */
class DistributionIT {
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(90);
    private static final List<String> NODES = List.of("node1", "node2", "node3");

    @TempDir
    Path dir;

    private Path home;
    private String members;
    private final List<Integer> controls = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofMillis(500)).build();
    private final Map<Integer, String> lastReadyAnswers = new java.util.concurrent.ConcurrentHashMap<>();

    @Test
    void archiveStartsAClusterThatTheAdminCliManages() throws Exception {
        unpack();
        for (String script : List.of("tessera-server", "tessera-admin", "tessera-init")) {
            assertTrue(Files.isExecutable(home.resolve("bin").resolve(script)), script + " executable");
        }
        assertTrue(Files.isRegularFile(home.resolve("conf/logback.xml")));
        assertShadedJarsAbsent();
        freePorts();

        Result init = run("bin/tessera-init");
        assertEquals(0, init.code, init.output);
        assertTrue(Files.isRegularFile(home.resolve("conf/credentials.env")), init.output);
        for (String node : NODES) {
            assertTrue(Files.isRegularFile(home.resolve("data").resolve(node).resolve("tls/member.p12")), init.output);
        }

        for (String node : NODES) {
            Result start = run("bin/tessera-server", "start", "conf/" + node + ".properties");
            assertEquals(0, start.code, start.output);
        }
        // Generous: on a loaded 2-core host a node's JVM alone can take half a minute to open its ports.
        try {
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200)).until(
                    () -> controls.stream().allMatch(this::ready));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("not ready: " + lastReadyAnswers, e);
        }

        String cluster = "127.0.0.1:" + controls.get(0) + ",127.0.0.1:" + controls.get(1);
        Result list = run("bin/tessera-admin", "member", "list", "--cluster", cluster);
        assertEquals(0, list.code, list.output);
        for (String node : NODES) {
            assertTrue(list.output.contains(node), list.output);
        }
        assertTrue(list.output.contains("leader"), list.output);
        Result status = run("bin/tessera-admin", "cluster", "status", "--cluster", "127.0.0.1:" + controls.get(2));
        assertEquals(0, status.code, status.output);

        Result nodeStatus = run("bin/tessera-server", "status", "conf/node1.properties");
        assertEquals(0, nodeStatus.code, nodeStatus.output);
        for (String node : NODES) {
            Result stop = run("bin/tessera-server", "stop", "conf/" + node + ".properties");
            assertEquals(0, stop.code, stop.output);
            assertFalse(pid(node).map(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)).orElse(false),
                    node + " still running after stop");
        }
        Result stopped = run("bin/tessera-server", "status", "conf/node1.properties");
        assertEquals(3, stopped.code, stopped.output);
    }

    private void unpack() throws Exception {
        Path archive = Path.of(System.getProperty("tessera.dist.archive"));
        assertTrue(Files.isRegularFile(archive), archive + " (built in the package phase)");
        Process tar = new ProcessBuilder("tar", "xzf", archive.toString(), "-C", dir.toString())
                .redirectErrorStream(true).start();
        assertTrue(tar.waitFor(60, TimeUnit.SECONDS), "tar did not finish");
        assertEquals(0, tar.exitValue(), new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        home = dir.resolve(System.getProperty("tessera.dist.home"));
    }

    /** lib/ holds each class once: the plain module jars, never the shaded -server/-cli copies. */
    private void assertShadedJarsAbsent() throws IOException {
        try (var jars = Files.list(home.resolve("lib"))) {
            List<String> names = jars.map(p -> p.getFileName().toString()).toList();
            assertTrue(names.stream().anyMatch(n -> n.startsWith("tessera-coordinator-")), names.toString());
            assertTrue(names.stream().anyMatch(n -> n.startsWith("tessera-admin-")), names.toString());
            assertTrue(names.stream().noneMatch(n -> n.endsWith("-server.jar") || n.endsWith("-cli.jar")), names.toString());
        }
    }

    private void freePorts() throws IOException {
        List<String> entries = new ArrayList<>();
        for (String node : NODES) {
            int control = freePort();
            controls.add(control);
            entries.add(node + "@127.0.0.1:" + control + ":" + freePort() + ":" + freePort());
        }
        members = String.join(",", entries);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private boolean ready(int control) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + control + "/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            lastReadyAnswers.put(control, r.statusCode() + " " + r.body());
            return r.statusCode() == 200;
        } catch (IOException e) {
            lastReadyAnswers.put(control, e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private record Result(int code, String output) {
    }

    /** One script call in the unpacked home, bounded; output kept for the assertion messages. */
    private Result run(String... command) throws Exception {
        Path out = Files.createTempFile(dir, "script", ".out");
        ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(out.toFile());
        pb.command().set(0, home.resolve(command[0]).toString());
        Map<String, String> env = pb.environment();
        env.put("TESSERA_CLUSTER_MEMBERS", members == null ? "" : members);
        // The credentials of conf/credentials.env, not the caller's.
        env.keySet().removeIf(k -> k.startsWith("TESSERA_") && !k.equals("TESSERA_CLUSTER_MEMBERS"));
        env.put("TESSERA_JAVA_OPTS", "-Xms64m -Xmx256m");
        // A bound for a loaded host (the JVM writes the pid file once its config is read), not a pace.
        env.put("TESSERA_START_TIMEOUT", "90");
        // conf/'s 1 s election timeout is for a quiet host; a loaded one (CI, other builds) would trade leaders.
        env.put("TESSERA_RAFT_ELECTION_TIMEOUT_MS", "2000");
        Process p = pb.start();
        if (!p.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within " + SCRIPT_TIMEOUT + ": "
                    + Files.readString(out));
        }
        return new Result(p.exitValue(), Files.readString(out));
    }

    private java.util.Optional<Long> pid(String node) {
        Path file = home.resolve("data").resolve(node).resolve("node.pid");
        try {
            return Files.isRegularFile(file) ? java.util.Optional.of(Long.parseLong(Files.readString(file).trim()))
                    : java.util.Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    /** Whatever a failed test left running: the nodes this test started, by their pid files. */
    @AfterEach
    void killLeftovers() throws IOException {
        if (home == null) {
            return;
        }
        for (String node : NODES) {
            pid(node).flatMap(ProcessHandle::of).ifPresent(ph -> {
                ph.destroyForcibly();
                ph.onExit().orTimeout(20, TimeUnit.SECONDS).join();
            });
            Path log = home.resolve("data").resolve(node).resolve("logs/node.log");
            if (Files.isRegularFile(log)) {
                Path kept = Files.createDirectories(Path.of("target", "dist-it-logs"));
                Files.copy(log, kept.resolve(node + ".log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
