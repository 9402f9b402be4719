package io.tessera.coordinator.testing;

import io.tessera.coordinator.clientauth.ClientAuth;
import io.tessera.coordinator.config.NodeConfig;
import io.tessera.coordinator.transport.ClientSessions;
import io.tessera.coordinator.transport.RmChannels;
import io.tessera.coordinator.transport.RmRequestSender;
import io.tessera.coordinator.transport.TransactionServer;
import io.tessera.coordinator.transport.TransactionService;

/** A transaction port on an ephemeral port with its RM registry and sender. */
public final class FrontEnd implements AutoCloseable {
    public final RmChannels rmChannels = new RmChannels();
    public final RmRequestSender sender;
    public final ClientSessions sessions;
    public final TransactionServer server;

    public FrontEnd(TransactionService service, long requestTimeoutMs, long rmTimeoutMs) {
        this(service, requestTimeoutMs, rmTimeoutMs, 15);
    }

    public FrontEnd(TransactionService service, long requestTimeoutMs, long rmTimeoutMs, int readerIdleSeconds) {
        this(service, requestTimeoutMs, rmTimeoutMs, readerIdleSeconds, NodeConfig.TransactionLimits.defaults(),
                ClientAuth.off());
    }

    /** With the transaction-port limits (and client authentication) under test. */
    public FrontEnd(TransactionService service, long requestTimeoutMs, long rmTimeoutMs, int readerIdleSeconds,
            NodeConfig.TransactionLimits limits, ClientAuth auth) {
        sender = new RmRequestSender(rmChannels, rmTimeoutMs);
        sessions = new ClientSessions(rmChannels, sender);
        server = new TransactionServer(new TransactionServer.Settings("test-node", "127.0.0.1", 0, readerIdleSeconds, 4,
                requestTimeoutMs, "2.5.0").withLimits(limits), Codecs.frameCodec(), service, sessions, auth);
        server.start();
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }
}
