package io.tessera.raft.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RefusalLogTest {
    private static final long QUIET = 1_000_000_000L;
    private static final SSLHandshakeException CAUSE = new SSLHandshakeException("Empty client certificate chain");

    @Test
    void oneLinePerAddressThenACountAfterTheQuietPeriod() {
        try (LogCapture log = new LogCapture(RefusalLogTest.class)) {
            RefusalLog refusals = new RefusalLog(LoggerFactory.getLogger(RefusalLogTest.class), "refused", QUIET);
            for (int port = 40_000; port < 40_010; port++) {
                refusals.failed(new InetSocketAddress("10.0.0.1", port), CAUSE, 5);
            }
            refusals.failed(new InetSocketAddress("10.0.0.2", 40_000), CAUSE, 6);
            assertEquals(List.of(
                    "refused 10.0.0.1: SSLHandshakeException: Empty client certificate chain; further failures from this "
                            + "address are logged at most hourly",
                    "refused 10.0.0.2: SSLHandshakeException: Empty client certificate chain; further failures from this "
                            + "address are logged at most hourly"), log.lines());

            refusals.failed(new InetSocketAddress("10.0.0.1", 40_011), CAUSE, 5 + QUIET);
            assertEquals(3, log.lines().size());
            assertTrue(log.lines().get(2).contains("(9 more since the last line)"), log.lines().get(2));
        }
    }

    @Test
    void theTableIsBoundedSoAFloodOfSourcesCannotGrowIt() {
        try (LogCapture log = new LogCapture(RefusalLogTest.class)) {
            RefusalLog refusals = new RefusalLog(LoggerFactory.getLogger(RefusalLogTest.class), "refused", QUIET);
            refusals.failed(new InetSocketAddress("10.1.0.0", 1), CAUSE, 0);
            for (int i = 1; i <= RefusalLog.MAX_ADDRESSES; i++) {
                refusals.failed(new InetSocketAddress("10.2." + (i / 256) + "." + (i % 256), 1), CAUSE, 0);
            }
            // The first address dropped out of the table: it is logged again, not remembered forever.
            refusals.failed(new InetSocketAddress("10.1.0.0", 1), CAUSE, 0);
            assertEquals(RefusalLog.MAX_ADDRESSES + 2, log.lines().size());
        }
    }

    @Test
    void aPlainTextPeersHexDumpIsCutShort() {
        String reason = RefusalLog.reason(new io.netty.handler.ssl.NotSslRecordException("not an SSL/TLS record: "
                + "01".repeat(500)));
        assertTrue(reason.length() <= 163, reason);
        assertTrue(reason.startsWith("NotSslRecordException: not an SSL/TLS record: 0101"), reason);
    }
}
