package io.tessera.codec.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ClientTextTest {

    @Test
    void plainTextIsReturnedAsIs() {
        String s = "order-service:192.168.0.7:51234 jdbc:mysql://db/orders";
        assertSame(s, ClientText.of(s));
        assertNull(ClientText.of(null));
    }

    @Test
    void aForgedLogLineStaysOnItsLine() {
        String forged = "app\n2026-12-07T10:00:00.000Z ERROR [node1] forged\r\u001b[31mred\u2028x\u202eevil\\";
        String safe = ClientText.of(forged);
        assertEquals("app\\n2026-12-07T10:00:00.000Z ERROR [node1] forged\\r\\u001b[31mred\\u2028x\\u202eevil\\\\",
                safe);
        assertFalse(safe.chars().anyMatch(c -> c < 0x20 || c == 0x2028 || c == 0x202e));
    }

    @Test
    void longTextIsCutAndSaysByHowMuch() {
        String s = "r".repeat(1_000);
        assertEquals("r".repeat(200) + "…(+800 chars)", ClientText.of(s));
        assertEquals("rrr…(+997 chars)", ClientText.of(s, 3));
        assertEquals("a\\nb…(+1 chars)", ClientText.of("a\nbc", 3));
    }

    @Test
    void budgetAllowsABurstThenRefillsAndCountsWhatItDropped() {
        AtomicLong now = new AtomicLong();
        LogBudget budget = new LogBudget(2, 1_000, now::get);
        assertTrue(budget.tryLog());
        assertTrue(budget.tryLog());
        assertFalse(budget.tryLog());
        assertFalse(budget.tryLog());
        now.addAndGet(1_000);
        assertTrue(budget.tryLog());
        assertEquals(2, budget.takeSuppressed());
        assertEquals(0, budget.takeSuppressed());
        assertFalse(budget.tryLog());
    }
}
