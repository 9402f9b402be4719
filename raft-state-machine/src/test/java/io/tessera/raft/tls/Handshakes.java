package io.tessera.raft.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/** One mutual-TLS handshake between two members' real contexts, both sides' verdicts. */
public final class Handshakes {
    private Handshakes() {
    }

    /** True if {@code server} accepts {@code client} and {@code client} accepts {@code server}. */
    public static boolean mutual(MemberCredentials server, MemberCredentials client) throws IOException,
            InterruptedException {
        try (SSLServerSocket listener = (SSLServerSocket) server.socketContext().getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setNeedClientAuth(true);
            listener.setEnabledProtocols(MemberCredentials.protocols());
            CompletableFuture<Boolean> serverSide = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.setSoTimeout(10_000);
                    s.startHandshake();
                    // TLS 1.3: the client's certificate is checked by now; read the client's byte.
                    return s.getInputStream().read() == 42;
                } catch (IOException refused) {
                    return false;
                }
            });
            boolean clientSide;
            try (SSLSocket s = (SSLSocket) client.socketContext().getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                s.setSoTimeout(10_000);
                s.setEnabledProtocols(MemberCredentials.protocols());
                s.startHandshake();
                s.getOutputStream().write(42);
                s.getOutputStream().flush();
                clientSide = true;
            } catch (IOException refused) {
                clientSide = false;
            }
            try {
                return serverSide.get(15, TimeUnit.SECONDS) && clientSide;
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException(e);
            }
        }
    }
}
