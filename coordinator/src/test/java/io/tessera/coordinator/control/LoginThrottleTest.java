package io.tessera.coordinator.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final LoginThrottle throttle = new LoginThrottle(5, 1_000, 60_000, 3, nanos::get);

    private void advanceMillis(long ms) {
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    private LoginThrottle.Failure fail(String source) {
        assertTrue(throttle.tryAcquire(source).allowed());
        return throttle.failed(source);
    }

    @Test
    void fiveFreeFailuresThenAnExponentialWaitCappedAtSixtySeconds() {
        for (int i = 1; i <= 4; i++) {
            assertEquals(0, fail("a").waitMillis());
        }
        long[] expected = {1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000};
        for (long wait : expected) {
            LoginThrottle.Failure f = fail("a");
            assertEquals(wait, f.waitMillis());
            LoginThrottle.Decision inside = throttle.tryAcquire("a");
            assertFalse(inside.allowed());
            assertTrue(inside.retryAfterMillis() > 0 && inside.retryAfterMillis() <= wait + 1);
            advanceMillis(wait - 1);
            assertFalse(throttle.tryAcquire("a").allowed());
            advanceMillis(1);
        }
    }

    @Test
    void attemptsRefusedInsideTheWaitAreReportedWithTheNextFailure() {
        for (int i = 0; i < 5; i++) {
            fail("a");
        }
        for (int i = 0; i < 7; i++) {
            assertFalse(throttle.tryAcquire("a").allowed());
        }
        advanceMillis(1_000);
        assertEquals(7, fail("a").refusedUnchecked());
    }

    @Test
    void aSuccessResetsTheSource() {
        for (int i = 0; i < 5; i++) {
            fail("a");
        }
        advanceMillis(1_000);
        assertTrue(throttle.tryAcquire("a").allowed());
        throttle.succeeded("a");
        assertEquals(1, fail("a").failures());
    }

    @Test
    void whileThrottledOnlyOneAttemptIsCheckedAtATime() {
        for (int i = 0; i < 5; i++) {
            fail("a");
        }
        advanceMillis(1_000);
        assertTrue(throttle.tryAcquire("a").allowed());
        assertFalse(throttle.tryAcquire("a").allowed(), "a parallel attempt waits for the first one's verdict");
        throttle.abandoned("a");
        assertTrue(throttle.tryAcquire("a").allowed());
    }

    @Test
    void sourcesAreIndependentAndBounded() {
        for (int i = 0; i < 5; i++) {
            fail("a");
        }
        assertFalse(throttle.tryAcquire("a").allowed());
        assertTrue(throttle.tryAcquire("b").allowed());
        throttle.failed("b");
        fail("c");
        fail("d");
        assertEquals(3, throttle.trackedSources(), "the least recently seen source was dropped");
    }
}
