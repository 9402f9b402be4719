package io.tessera.coordinator.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClientVersionTest {
    @Test
    void comparesLikeTheReferenceServer() {
        assertEquals(2_030_000, ClientVersion.parse("2.3.0").value());
        assertFalse(ClientVersion.parse("2.2.0").atLeast(ClientVersion.V2_3_0));
        assertTrue(ClientVersion.parse("2.3.0").atLeast(ClientVersion.V2_3_0));
        assertTrue(ClientVersion.parse("2.5.0").atLeast(ClientVersion.V2_3_0));
        assertTrue(ClientVersion.parse("2.6.0-SNAPSHOT").atLeast(ClientVersion.V2_3_0));
        assertTrue(ClientVersion.parse("10.0").atLeast(ClientVersion.V2_3_0));
        assertFalse(ClientVersion.parse("1.8.0.1").atLeast(ClientVersion.V2_3_0));
    }

    @Test
    void unparseableVersionsAreNeverAtLeastAnything() {
        for (String v : new String[] {null, "", "  ", "1.2.3.4.5", "two.three", "2.x.0"}) {
            assertFalse(ClientVersion.parse(v).known(), String.valueOf(v));
            assertFalse(ClientVersion.parse(v).atLeast(ClientVersion.parse("0.0.1")), String.valueOf(v));
        }
    }
}
