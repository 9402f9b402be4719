package io.tessera.compat.failover;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where tests that start real processes find the checkout's scripts and server jar, and free ports. */
public final class Checkout {
    private Checkout() {
    }

    /** The checkout root: the nearest directory above the working directory holding scripts/cluster.sh. */
    public static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("scripts/cluster.sh"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("scripts/cluster.sh not found above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    /** The node's runnable jar built by the coordinator module's package phase. */
    public static Path serverJar(Path root) {
        Path jarDir = root.resolve("coordinator/target");
        try (var files = Files.list(jarDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith("-server.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no server jar in " + jarDir
                            + ": run mvn -pl coordinator,admin -am package -DskipTests first"));
        } catch (IOException e) {
            throw new IllegalStateException("no " + jarDir + ": run mvn -pl coordinator,admin -am package first", e);
        }
    }

    /** A port free right now (the OS picks it), for a process this test starts next. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
