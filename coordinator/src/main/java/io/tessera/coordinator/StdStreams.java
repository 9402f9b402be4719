package io.tessera.coordinator;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what libraries print to {@code System.out}/{@code System.err} (bolt's fallback logger, stack
 * traces printed by third-party code) into the node's rotated log instead of the process's console file,
 * which nobody rotates. One log event per printed line; a line longer than {@link #MAX_LINE} characters
 * is cut, so a runaway printer cannot build unbounded lines in memory.
 */
final class StdStreams {
    static final int MAX_LINE = 8_192;

    private StdStreams() {
    }

    /** Call once, after logging is configured; the console keeps only what the JVM writes natively. */
    static void redirectToLog() {
        System.setOut(new PrintStream(new LineLogger(LoggerFactory.getLogger("stdout"), false), true,
                StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new LineLogger(LoggerFactory.getLogger("stderr"), true), true,
                StandardCharsets.UTF_8));
    }

    /** Buffers bytes up to a newline, then logs the line. Synchronized: PrintStream may be shared by threads. */
    static final class LineLogger extends OutputStream {
        private final Logger log;
        private final boolean warn;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        private int dropped;

        LineLogger(Logger log, boolean warn) {
            this.log = log;
            this.warn = warn;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                emit();
            } else if (line.size() < MAX_LINE) {
                line.write(b);
            } else {
                dropped++;
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        @Override
        public synchronized void flush() {
            // A flush without a newline (print without println) waits for the rest of its line.
        }

        private void emit() {
            String text = line.toString(StandardCharsets.UTF_8);
            if (text.endsWith("\r")) {
                text = text.substring(0, text.length() - 1);
            }
            if (dropped > 0) {
                text = text + "…(+" + dropped + " bytes)";
            }
            line.reset();
            dropped = 0;
            if (warn) {
                log.warn("{}", text);
            } else {
                log.info("{}", text);
            }
        }
    }
}
