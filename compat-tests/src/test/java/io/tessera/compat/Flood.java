package io.tessera.compat;

import io.tessera.coordinator.testing.PlainSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The attacks of the security report, kept running against transaction ports until stopped: from one
 * source address, connections that only ping (never register), reopened as soon as the node closes
 * them; from another, connections that announce a 1 MiB frame and trickle it a byte at a time.
 */
final class Flood implements AutoCloseable {
    private static final int MIB = 1024 * 1024;
    private final List<Integer> ports;
    private final ScheduledExecutorService threads = Executors.newScheduledThreadPool(2);
    private final List<PlainSocket> pingers = new ArrayList<>();
    private final List<PlainSocket> tricklers = new ArrayList<>();
    final AtomicInteger pingersClosed = new AtomicInteger();
    final AtomicInteger tricklersClosed = new AtomicInteger();

    Flood(List<Integer> ports) {
        this.ports = ports;
    }

    /**
     * @param pingersPerPort ping-only connections kept open per port, from 127.0.0.2
     * @param tricklersPerPort partial 1 MiB frames kept in progress per port, from 127.0.0.3
     */
    Flood start(int pingersPerPort, int tricklersPerPort) {
        threads.scheduleWithFixedDelay(() -> keep(pingers, pingersPerPort, "127.0.0.2", pingersClosed,
                new byte[0], ping()), 0, 100, TimeUnit.MILLISECONDS);
        byte[] announce = ByteBuffer.allocate(100).put((byte) 0xDA).put((byte) 0xDA).put((byte) 1).putInt(MIB)
                .putShort((short) 16).array();
        threads.scheduleWithFixedDelay(() -> keep(tricklers, tricklersPerPort, "127.0.0.3", tricklersClosed,
                announce, new byte[1]), 0, 200, TimeUnit.MILLISECONDS);
        return this;
    }

    private static byte[] ping() {
        return ByteBuffer.allocate(16).put((byte) 0xDA).put((byte) 0xDA).put((byte) 1).putInt(16).putShort((short) 16)
                .put((byte) 3).put((byte) 1).put((byte) 0).putInt(1).array();
    }

    /** One pass: replace what the node closed, then send each open connection its next bytes. */
    private void keep(List<PlainSocket> sockets, int perPort, String source, AtomicInteger closed, byte[] opening,
            byte[] each) {
        try {
            sockets.removeIf(s -> {
                if (s.closedByPeer()) {
                    closed.incrementAndGet();
                    s.close();
                    return true;
                }
                return false;
            });
            for (int port : ports) {
                long open = sockets.stream().filter(s -> s.port() == port).count();
                for (long i = open; i < perPort; i++) {
                    PlainSocket s = new PlainSocket(port, source);
                    s.write(opening);
                    sockets.add(s);
                }
            }
            sockets.forEach(s -> s.write(each));
        } catch (RuntimeException e) {
            // A refused or reset connect is part of the flood; the next pass tries again.
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pingers.forEach(PlainSocket::close);
        tricklers.forEach(PlainSocket::close);
    }
}
