package io.tessera.coordinator.control;

import io.netty.channel.Channel;
import io.tessera.codec.text.LogBudget;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most {@code max} open control connections. A connection beyond it is closed as soon as it is
 * accepted (before anything is read), with a rate-limited log line: a client that opens connections in a
 * loop costs a bounded number of lines.
 */
final class ConnectionLimit {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimit.class);

    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final LogBudget logBudget = new LogBudget(5, 10_000_000_000L, System::nanoTime);

    ConnectionLimit(int max) {
        this.max = max;
    }

    /** Counts {@code channel} until it closes; false (and closes it) when the limit is reached. */
    boolean admit(Channel channel) {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            if (logBudget.tryLog()) {
                long suppressed = logBudget.takeSuppressed();
                LOG.warn("control port at its limit of {} connections (control.max-connections): closed the new "
                        + "connection from {}{}", max, channel.remoteAddress(),
                        suppressed > 0 ? " (" + suppressed + " more closed since the last line)" : "");
            }
            channel.close();
            return false;
        }
        channel.closeFuture().addListener(f -> open.decrementAndGet());
        return true;
    }

    int open() {
        return open.get();
    }
}
