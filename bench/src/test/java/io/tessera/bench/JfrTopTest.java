package io.tessera.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real JFR recording of a busy method: the summary must name it among the inclusive hot methods. */
class JfrTopTest {
    @TempDir
    Path dir;

    static volatile long sink;

    static long burn(long nanos) {
        long end = System.nanoTime() + nanos;
        long x = 0;
        while (System.nanoTime() < end) {
            x += Long.numberOfTrailingZeros(x * 31 + 7);
        }
        return x;
    }

    @Test
    void summaryNamesTheBusyMethod() throws Exception {
        Path file = dir.resolve("busy.jfr");
        try (Recording r = new Recording()) {
            r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            r.start();
            sink = burn(2_000_000_000L);
            r.stop();
            r.dump(file);
        }
        JfrTop.Summary s = JfrTop.summarise(file);
        assertTrue(s.total() > 0, "samples recorded");
        assertTrue(s.inclusive().getOrDefault(JfrTopTest.class.getName() + ".burn", 0) > 0, s.inclusive().toString());
        assertTrue(s.threads().values().stream().mapToInt(Integer::intValue).sum() == s.total());
    }
}
