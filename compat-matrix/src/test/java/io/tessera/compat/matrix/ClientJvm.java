package io.tessera.compat.matrix;

import io.tessera.compat.matrix.client.MatrixClient;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Starts {@link MatrixClient} in a JVM of its own for one cell: the release's seata-all (and, for
 * PROTOBUF, its serializer jar) from {@code target/seata-clients}, the client-side libraries every
 * release needs (this module's compile scope, resolved by Maven into {@code matrix.clientClasspath}), and
 * this module's test classes (the driver, registry.conf, file.conf, logback). Nothing of the coordinator
 * is on it. Output goes to a log file per cell; {@code MATRIX key=value} lines are the results.
 */
final class ClientJvm {
    private static final long LIMIT_SECONDS = 120;

    private final Path clientsDir = Path.of(required("matrix.clientsDir"));
    private final String clientClasspath = required("matrix.clientClasspath");
    private final List<String> jvmOpens = Arrays.stream(System.getProperty("matrix.jvmOpens", "").split("\\s+"))
            .filter(s -> !s.isBlank()).toList();

    /** What one run printed and how it ended. */
    record Run(int exitCode, Map<String, String> results, String log, Path logFile, long millis) {
        String get(String key) {
            return results.getOrDefault(key, "");
        }
    }

    /**
     * @param mode "scenario" or "refused" (see MatrixClient)
     * @param seataConfig Seata configuration keys for this cell (registry, serializer, timeouts)
     */
    Run run(Cell cell, String mode, Map<String, String> seataConfig, Path logDir) {
        ClientRelease release = cell.release();
        List<String> classpath = new ArrayList<>(jars(clientsDir.resolve(release.version())));
        if (cell.serializer() == Cell.Serializer.PROTOBUF) {
            classpath.addAll(jars(clientsDir.resolve("protobuf-" + release.protobufJar().orElseThrow())));
        }
        if (cell.serializer() == Cell.Serializer.KRYO) {
            release.kryoJar().ifPresent(v -> classpath.addAll(jars(clientsDir.resolve("kryo-" + v))));
        }
        classpath.add(clientClasspath);
        classpath.add(testClasses());

        Map<String, String> props = new LinkedHashMap<>(seataConfig);
        props.put("matrix.package", release.pkg());
        props.put("matrix.app", "matrix-" + cell.id());
        props.put("matrix.group", CompatibilityMatrixTest.GROUP);
        props.put("matrix.resources", "tcc-1-" + cell.id() + ",tcc-2-" + cell.id());

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Small and quick to start: the matrix runs dozens of these on a shared CI machine.
        command.addAll(List.of("-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOpens);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classpath));
        props.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add(MatrixClient.class.getName());
        command.add(mode);

        Path logFile = logDir.resolve(cell.id() + ".log");
        long start = System.nanoTime();
        try {
            Files.createDirectories(logDir);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
            if (!p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                Files.writeString(logFile, "\nMATRIX error=killed after " + LIMIT_SECONDS + " s\n",
                        StandardOpenOption.APPEND);
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            String log = Files.readString(logFile, StandardCharsets.UTF_8);
            return new Run(p.exitValue(), results(log), log, logFile, millis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> results(String log) {
        Map<String, String> out = new LinkedHashMap<>();
        log.lines().filter(l -> l.startsWith("MATRIX ")).map(l -> l.substring(7)).forEach(l -> {
            int eq = l.indexOf('=');
            out.put(l.substring(0, eq), l.substring(eq + 1));
        });
        return out;
    }

    private static List<String> jars(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            List<String> jars = files.filter(f -> f.toString().endsWith(".jar")).map(Path::toString).sorted().toList();
            if (jars.isEmpty()) {
                throw new IllegalStateException("no jars in " + dir + " (the build's seata-clients copy)");
            }
            return jars;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String testClasses() {
        try {
            return Path.of(MatrixClient.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String required(String property) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set (run through Maven)");
        }
        return v;
    }
}
