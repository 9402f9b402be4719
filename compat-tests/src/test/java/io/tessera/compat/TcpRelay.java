package io.tessera.compat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP relay in front of a registry server, for one node's registry connection. {@link #cut()}
 * is what the registry sees when that node's process is killed: its connections drop without a word
 * (no deregistration, no session close) and it never comes back, so only the registry's own expiry
 * (session timeout, key TTL, lease TTL) can remove the node's entry.
 */
final class TcpRelay implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean cut;

    TcpRelay(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "relay-accept-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!cut) {
            try {
                Socket in = listener.accept();
                Socket out = new Socket(target.getAddress(), target.getPort());
                sockets.add(in);
                sockets.add(out);
                if (cut) {
                    close(in);
                    close(out);
                    return;
                }
                pump(in, out);
                pump(out, in);
            } catch (IOException e) {
                return; // listener closed by cut()
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream i = from.getInputStream(); OutputStream o = to.getOutputStream()) {
                int n;
                while ((n = i.read(buffer)) >= 0) {
                    o.write(buffer, 0, n);
                    o.flush();
                }
            } catch (IOException ignored) {
                // one side closed: the other follows
            } finally {
                close(from);
                close(to);
            }
        }, "relay-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Drops every connection and refuses new ones from now on. */
    void cut() {
        cut = true;
        close(listener);
        sockets.forEach(TcpRelay::close);
    }

    private static void close(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        cut();
    }
}
