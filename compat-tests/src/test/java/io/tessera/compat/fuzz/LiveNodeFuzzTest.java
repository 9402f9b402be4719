package io.tessera.compat.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fuzzer against three live node processes (issue 16). In the normal suite: a short run with a fixed
 * seed. {@code scripts/fuzz.sh} runs it long: {@code -Dfuzz.inputs}, {@code -Dfuzz.seed}, {@code -Dfuzz.target}
 * (tx, http, raft, all), {@code -Dfuzz.replay=seed:index} or {@code seed:first-last}.
 */
class LiveNodeFuzzTest {
    @TempDir
    Path dir;

    @Test
    void liveNodesSurviveFuzzedFramesAndRequests() throws Exception {
        LiveFuzzer.Options options = options();
        System.out.println("FUZZ options " + options);
        try (FuzzCluster cluster = new FuzzCluster(dir).start();
                LivenessClient liveness = new LivenessClient(cluster)) {
            LiveFuzzer.Report report = new LiveFuzzer(cluster, liveness, options).run();
            String summary = report.summary();
            System.out.println("FUZZ REPORT " + summary);
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "fuzz-report.txt"), summary + "\n");
            assertEquals(List.of(), report.failures());
        }
    }

    static LiveFuzzer.Options options() {
        String replay = System.getProperty("fuzz.replay", "");
        String target = System.getProperty("fuzz.target", "all");
        int workers = Integer.getInteger("fuzz.workers", 32);
        // A wall-clock bound for long runs (ISO instant): no batch starts after it; the end checks still run.
        String untilText = System.getProperty("fuzz.until", "");
        java.time.Instant until = untilText.isBlank() ? java.time.Instant.MAX : java.time.Instant.parse(untilText);
        if (!replay.isBlank()) {
            String[] seedAndRange = replay.split(":");
            String[] range = seedAndRange[1].split("-");
            long first = Long.parseLong(range[0]);
            long last = range.length > 1 ? Long.parseLong(range[1]) : first;
            return new LiveFuzzer.Options(Long.parseLong(seedAndRange[0]), first, last, target, 5_000, 1, until);
        }
        long inputs = Long.getLong("fuzz.inputs", 8_000L);
        long seed = Long.getLong("fuzz.seed", 20261207L);
        return new LiveFuzzer.Options(seed, 0, inputs - 1, target, Integer.getInteger("fuzz.batch", 4_000), workers,
                until);
    }
}
