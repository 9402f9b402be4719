package io.tessera.compat.fuzz;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The same run as {@link LiveNodeFuzzTest} from a plain {@code java} command (options as the test's system
 * properties), for long runs outside Maven; exits 1 when the run found a failure.
 */
public final class FuzzMain {
    private FuzzMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("tessera-fuzz");
        LiveFuzzer.Options options = LiveNodeFuzzTest.options();
        System.out.println("FUZZ options " + options);
        LiveFuzzer.Report report;
        try (FuzzCluster cluster = new FuzzCluster(dir).start();
                LivenessClient liveness = new LivenessClient(cluster)) {
            report = new LiveFuzzer(cluster, liveness, options).run();
        }
        System.out.println("FUZZ REPORT " + report.summary());
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "fuzz-report.txt"), report.summary() + "\n");
        System.exit(report.failures().isEmpty() ? 0 : 1);
    }
}
