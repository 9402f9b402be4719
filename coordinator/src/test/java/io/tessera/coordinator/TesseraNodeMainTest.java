package io.tessera.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real main in a child JVM: a bad start exits with status 2 and one line on stderr. */
@Timeout(120)
class TesseraNodeMainTest {
    @TempDir
    Path dir;

    private record Outcome(int exitCode, List<String> stderr) {
    }

    private Outcome run(Path config) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(Arrays.asList(System.getProperty("tessera.test.jvm.opens", "").split(" ")));
        cmd.removeIf(String::isBlank);
        cmd.addAll(List.of("-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "-Dtessera.data.dir=" + dir.resolve("data"), TesseraNode.class.getName(), config.toString()));
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "node process did not exit");
        List<String> lines = new String(err, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        return new Outcome(p.exitValue(), lines);
    }

    private static final String CREDENTIALS = "registry.username=seata-client\nregistry.password=client-secret-1\n"
            + "admin.username=tessera-admin\nadmin.password=admin-secret-1\n";

    @Test
    void badConfigurationExitsWithStatus2AndOneLine() throws Exception {
        Path config = dir.resolve("bad.properties");
        Files.writeString(config, "node.id=node9\ncluster.members=node1@127.0.0.1:7091:8091:9091\n");
        Outcome o = run(config);
        assertEquals(2, o.exitCode());
        assertEquals(List.of("tessera: node.id 'node9' is not in cluster.members (node1)"), o.stderr());
    }

    @Test
    void missingCredentialsExitWithStatus2AndOneLine() throws Exception {
        Path config = dir.resolve("open.properties");
        Files.writeString(config, "node.id=node1\ncluster.members=node1@127.0.0.1:7091:8091:9091\n"
                + "raft.tls.enabled=false\n");
        Outcome o = run(config);
        assertEquals(2, o.exitCode());
        assertEquals(1, o.stderr().size(), o.stderr().toString());
        assertTrue(o.stderr().get(0).startsWith("tessera: registry.username and registry.password are required"),
                o.stderr().get(0));
    }

    @Test
    void portInUseExitsWithStatus2AndOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0); ServerSocket a = new ServerSocket(0);
                ServerSocket b = new ServerSocket(0)) {
            int control = a.getLocalPort();
            int raft = b.getLocalPort();
            a.close();
            b.close();
            Path config = dir.resolve("node.properties");
            Files.writeString(config, "node.id=node1\ncluster.members=node1@127.0.0.1:" + control + ":"
                    + taken.getLocalPort() + ":" + raft + "\n" + CREDENTIALS + "raft.tls.enabled=false\n");
            Outcome o = run(config);
            assertEquals(2, o.exitCode(), o.stderr().toString());
            assertEquals(1, o.stderr().size(), o.stderr().toString());
            assertTrue(o.stderr().get(0).startsWith("tessera: transaction port 0.0.0.0:" + taken.getLocalPort()
                    + " cannot be bound"), o.stderr().get(0));
        }
    }
}
