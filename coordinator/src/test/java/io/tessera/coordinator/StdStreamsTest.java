package io.tessera.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class StdStreamsTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger("stdstreams-test");
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();

    @BeforeEach
    void capture() {
        events.start();
        logger.addAppender(events);
    }

    @AfterEach
    void release() {
        logger.detachAppender(events);
    }

    @Test
    void everyPrintedLineBecomesOneLogEventAndLongLinesAreCut() {
        PrintStream out = new PrintStream(new StdStreams.LineLogger(logger, true), true, StandardCharsets.UTF_8);
        out.print("partial ");
        out.println("line");
        out.println("windows\r");
        out.println("x".repeat(StdStreams.MAX_LINE + 10));
        new IllegalStateException("boom").printStackTrace(out);

        List<String> lines = events.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals("partial line", lines.get(0));
        assertEquals("windows", lines.get(1));
        assertEquals("x".repeat(StdStreams.MAX_LINE) + "…(+10 bytes)", lines.get(2));
        assertEquals("java.lang.IllegalStateException: boom", lines.get(3));
        assertEquals(ch.qos.logback.classic.Level.WARN, events.list.get(0).getLevel());
    }
}
