package io.tessera.coordinator.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The three budgets a client-caused line passes, on a fake clock. */
class LogLimiterTest {
    private final AtomicLong now = new AtomicLong();
    private final LogLimiter limiter = new LogLimiter(now::get);

    private static int allowed(LogLimiter.Gate gate, int attempts) {
        int n = 0;
        for (int i = 0; i < attempts; i++) {
            if (gate.tryLog()) {
                n++;
            }
        }
        return n;
    }

    @Test
    void aConnectionGetsFiveLinesThenOnePerTenSecondsAndHearsWhatWasDropped() {
        LogLimiter.Gate c = limiter.connection("10.0.0.1");
        assertEquals(5, allowed(c, 100));
        now.addAndGet(TimeUnit.SECONDS.toNanos(10));
        assertTrue(c.tryLog());
        assertEquals(" (95 similar lines suppressed)", c.suppressedNote());
        assertFalse(c.tryLog());
    }

    @Test
    void connectionsOfOneSourceShareItsBudgetAndOtherSourcesKeepTheirs() {
        int lines = 0;
        for (int i = 0; i < 50; i++) {
            lines += allowed(limiter.connection("10.0.0.1"), 5);
        }
        assertEquals(20, lines, "one source: 20 lines however many connections");
        assertEquals(1, allowed(limiter.sourceOnly("10.0.0.1"), 1) + allowed(limiter.connection("10.0.0.2"), 1));
    }

    @Test
    void manySourcesTogetherAreCappedByTheNodeBudget() {
        int lines = 0;
        for (int i = 0; i < 5_000; i++) {
            lines += allowed(limiter.sourceOnly("10.1." + (i / 250) + "." + (i % 250)), 2);
        }
        assertEquals(100, lines);
        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertEquals(10, allowed(limiter.sourceOnly("10.9.9.9"), 50) + allowed(limiter.sourceOnly("10.9.9.8"), 50));
    }
}
