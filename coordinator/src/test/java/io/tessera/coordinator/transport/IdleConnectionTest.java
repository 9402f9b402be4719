package io.tessera.coordinator.transport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.coordinator.testing.FrontEnd;
import io.tessera.coordinator.testing.InMemoryTransactionService;
import io.tessera.coordinator.testing.RawClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class IdleConnectionTest {
    @Test
    void silentConnectionIsClosedAfterTheReaderIdleTime() {
        try (FrontEnd frontEnd = new FrontEnd(new InMemoryTransactionService("127.0.0.1:8091"), 1000, 1000, 1);
                RawClient rm = new RawClient(frontEnd.port())) {
            rm.registerRm("orders", "2.5.0", "R");
            assertTrue(rm.isOpen());
            await().atMost(Duration.ofSeconds(10)).until(() -> !rm.isOpen());
            await().atMost(Duration.ofSeconds(5)).until(() -> frontEnd.rmChannels.sessions().isEmpty());
        }
    }
}
