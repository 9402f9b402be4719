package io.tessera.coordinator.transport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.tessera.codec.RpcFrame;
import io.tessera.codec.message.GlobalEndRequest;
import io.tessera.codec.message.GlobalEndResponse;
import io.tessera.codec.message.RegisterTMRequest;
import io.tessera.codec.message.ResultCode;
import io.tessera.coordinator.clientauth.ClientAuth;
import io.tessera.coordinator.config.NodeConfig.TransactionLimits;
import io.tessera.coordinator.testing.FrontEnd;
import io.tessera.coordinator.testing.InMemoryTransactionService;
import io.tessera.coordinator.testing.PlainSocket;
import io.tessera.coordinator.testing.RawClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** What clients can do to the node's log: no forged lines, no huge lines, a bounded number of lines. */
@Timeout(60)
class LogSafetyTest {
    /** A client string that would start a fake ERROR line, recolour the terminal and reverse text. */
    private static final String FORGED = "evil\n2026-12-07 12:00:00.000 ERROR [main] i.t.c.t.TransactionServer - forged"
            + "\r\u001b[31mred\u2028next\u202Eesrever\u0085nel";

    private final Logger tessera = (Logger) LoggerFactory.getLogger("io.tessera");
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private final InMemoryTransactionService service = new InMemoryTransactionService("127.0.0.1:8091");
    private FrontEnd frontEnd;

    @BeforeEach
    void start() {
        captured.start();
        tessera.addAppender(captured);
        frontEnd = new FrontEnd(service, 2_000, 15_000, 15, TransactionLimits.defaults(), ClientAuth.off());
    }

    @AfterEach
    void stop() {
        frontEnd.close();
        tessera.detachAppender(captured);
    }

    private List<String> lines() {
        List<String> out = new ArrayList<>();
        for (ILoggingEvent e : List.copyOf(captured.list)) {
            out.add(e.getFormattedMessage());
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                out.add(String.valueOf(t.getMessage()));
            }
        }
        return out;
    }

    private static boolean unsafe(char c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029
                || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    }

    @Test
    void clientStringsInLogLinesCannotForgeLinesOrEscapeSequences() {
        try (RawClient tm = new RawClient(frontEnd.port());
                RawClient rm = new RawClient(frontEnd.port());
                RawClient refused = new RawClient(frontEnd.port())) {
            tm.send(RpcFrame.TYPE_REQUEST, new RegisterTMRequest("2.5.0\nERROR", FORGED, "group\nERROR x", null));
            tm.next();
            tm.request(new GlobalEndRequest(GlobalEndRequest.Kind.COMMIT, FORGED, null));
            assertEquals(ResultCode.Failed, assertInstanceOf(GlobalEndResponse.class, tm.next().body()).resultCode());
            rm.registerRm(FORGED, "2.5.0", "ok\nERROR forged,second\r\n,third");
            refused.send(RpcFrame.TYPE_REQUEST, new RegisterTMRequest("2.5.0", FORGED + "a".repeat(600), "g", null));
            refused.next();
            await().atMost(Duration.ofSeconds(5)).until(() -> !refused.isOpen());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> frontEnd.sessions.count(ClientRole.TM) == 0
                && frontEnd.sessions.count(ClientRole.RM) == 0);

        List<String> lines = lines();
        for (String line : lines) {
            for (int i = 0; i < line.length(); i++) {
                assertFalse(unsafe(line.charAt(i)), "raw control character U+" + Integer.toHexString(line.charAt(i))
                        + " in: " + line);
            }
        }
        // The text is there, escaped, on the lines where it belongs.
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("TM registered: TM[evil\\n2026-12-07")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("RM registered: RM[evil\\n") && l.contains("resources 3 [")
                && l.contains("ok\\nERROR forged")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("request GlobalCommit xid=evil\\n")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("RegisterTM refused: applicationId has")), lines.toString());
    }

    @Test
    void aFloodOfBadFramesFromOneSourceProducesABoundedNumberOfLines() {
        List<PlainSocket> flood = new ArrayList<>();
        byte[] garbage = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 150; i++) {
            PlainSocket s = new PlainSocket(frontEnd.port());
            s.write(garbage);
            flood.add(s);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> flood.stream().allMatch(PlainSocket::closedByPeer));
        flood.forEach(PlainSocket::close);
        long closing = lines().stream().filter(l -> l.startsWith("closing ")).count();
        // 20 lines at once per source, then one every 3 s while the flood lasts.
        assertTrue(closing >= 20 && closing <= 20 + 1 + flood.size() / 50, closing + " lines for 150 bad connections");

        // Another source still gets its lines.
        try (PlainSocket other = new PlainSocket(frontEnd.port(), "127.0.0.2")) {
            other.write(garbage);
            await().atMost(Duration.ofSeconds(5)).until(other::closedByPeer);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> lines().stream()
                .anyMatch(l -> l.startsWith("closing /127.0.0.2:")));
    }

    @Test
    void hugeClientFieldsCostAFewHundredCharactersPerLine() {
        for (int i = 0; i < 5; i++) {
            try (RawClient client = new RawClient(frontEnd.port())) {
                client.send(RpcFrame.TYPE_REQUEST, new RegisterTMRequest("2.5.0", "x".repeat(30_000), "g".repeat(30_000),
                        null));
                client.next();
                await().atMost(Duration.ofSeconds(5)).until(() -> !client.isOpen());
            }
        }
        List<String> lines = lines();
        assertTrue(lines.stream().filter(l -> l.contains("RegisterTM refused")).count() == 5, lines.toString());
        int total = lines.stream().mapToInt(String::length).sum();
        assertTrue(total < 5 * 1_000, total + " characters of log for five frames of 60,000 characters each");
    }
}
