package io.tessera.coordinator.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A blocking socket for flood and trickle tests: cheap enough to open hundreds (no event loop each),
 * writes raw bytes, and tells whether the server closed it.
 */
public final class PlainSocket implements AutoCloseable {
    private final Socket socket = new Socket();
    private final int port;
    private boolean closedByPeer;

    public PlainSocket(int port) {
        this(port, null);
    }

    /** @param localIp e.g. "127.0.0.2" to come from another source address; null = default */
    public PlainSocket(int port, String localIp) {
        this.port = port;
        try {
            if (localIp != null) {
                socket.bind(new InetSocketAddress(localIp, 0));
            }
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setTcpNoDelay(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server port this socket connects to. */
    public int port() {
        return port;
    }

    /** @return false if the server has closed the connection (the write failed) */
    public boolean write(byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return true;
        } catch (IOException e) {
            closedByPeer = true;
            return false;
        }
    }

    /** Reads (and drops) whatever arrived; true once the server has closed or reset the connection. */
    public synchronized boolean closedByPeer() {
        if (closedByPeer) {
            return true;
        }
        try {
            socket.setSoTimeout(1);
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[4096];
            while (true) {
                if (in.read(buf) < 0) {
                    closedByPeer = true;
                    return true;
                }
            }
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            closedByPeer = true;
            return true;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test socket
        }
    }
}
