package io.tessera.raft.group;

import com.alipay.remoting.ExtendedNettyChannelHandler;
import com.alipay.remoting.config.BoltClientOption;
import com.alipay.remoting.config.BoltServerOption;
import com.alipay.sofa.jraft.rpc.RaftRpcFactory;
import com.alipay.sofa.jraft.rpc.RpcClient;
import com.alipay.sofa.jraft.rpc.impl.BoltRpcClient;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.SslContext;
import io.tessera.raft.tls.MemberCredentials;
import java.io.IOException;
import java.net.Socket;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one member's raft-port connections are carried: plain TCP, or mutual TLS with the member's
 * certificate. In TLS mode every connection of the port is covered, in both directions: the bolt server
 * (jraft's own RPCs, forwarding, peer calls, the leader watch's heartbeats arrive there), jraft's
 * replication client, our forwarding client, and the leader watch's socket.
 *
 * <p>TLS is our own netty SslHandler installed as a bolt "front" channel handler, not bolt's built-in
 * SSL options: those re-read the keystore file for every connection and trust every certificate in it,
 * the member's own leaf included; ours trust the keystore's CA entries only and log a refused handshake
 * once per peer address instead of a stack trace per attempt.
 */
final class Transport {
    private static final Logger LOG = LoggerFactory.getLogger(Transport.class);
    /** For the leader watch's handshake; bolt's netty handlers use netty's 10 s default. */
    static final int WATCH_HANDSHAKE_TIMEOUT_MS = 5_000;

    private final MemberCredentials credentials;
    private final RefusalLog serverRefusals;
    private final RefusalLog clientFailures;

    private Transport(MemberCredentials credentials, RefusalLog serverRefusals, RefusalLog clientFailures) {
        this.credentials = credentials;
        this.serverRefusals = serverRefusals;
        this.clientFailures = clientFailures;
    }

    static Transport plain() {
        return new Transport(null, null, null);
    }

    /** @param self this member's endpoint, for the log lines */
    static Transport tls(MemberCredentials credentials, String self, long quietNanos) {
        return new Transport(credentials,
                new RefusalLog(LOG, "raft port " + self + " refused a connection (TLS handshake failed) from", quietNanos),
                new RefusalLog(LOG, "raft port " + self + ": TLS handshake failed with member at", quietNanos));
    }

    boolean secure() {
        return credentials != null;
    }

    void configureServer(com.alipay.remoting.rpc.RpcServer server) {
        if (secure()) {
            server.option(BoltServerOption.EXTENDED_NETTY_CHANNEL_HANDLER,
                    handlers(credentials.serverContext(), serverRefusals));
        }
    }

    /** Applied to a jraft bolt client before its init(); null (jraft's default) for plain TCP. */
    RaftRpcFactory.ConfigHelper<RpcClient> clientConfig() {
        if (!secure()) {
            return null;
        }
        ExtendedNettyChannelHandler handlers = handlers(credentials.clientContext(), clientFailures);
        return client -> ((BoltRpcClient) client).getRpcClient()
                .option(BoltClientOption.EXTENDED_NETTY_CHANNEL_HANDLER, handlers);
    }

    /** The leader watch's socket: TLS with the member certificate, handshake done before it is returned. */
    SocketLayer watchLayer() {
        if (!secure()) {
            return SocketLayer.PLAIN;
        }
        return (connected, host, port) -> {
            try {
                SSLSocket tls = (SSLSocket) credentials.socketContext().getSocketFactory()
                        .createSocket(connected, host, port, true);
                tls.setUseClientMode(true);
                tls.setEnabledProtocols(MemberCredentials.protocols());
                tls.setSoTimeout(WATCH_HANDSHAKE_TIMEOUT_MS);
                tls.startHandshake();
                return tls;
            } catch (IOException e) {
                connected.close();
                throw e;
            }
        };
    }

    /** Bolt asks for the front handlers once per new connection: a fresh SslHandler and guard each time. */
    private static ExtendedNettyChannelHandler handlers(SslContext context, RefusalLog log) {
        return new ExtendedNettyChannelHandler() {
            @Override
            public List<ChannelHandler> frontChannelHandlers() {
                // The allocator only matters to OpenSSL engines; this context is the JDK's.
                return List.of(context.newHandler(ByteBufAllocator.DEFAULT), new HandshakeGuard(log));
            }

            @Override
            public List<ChannelHandler> backChannelHandlers() {
                return List.of();
            }
        };
    }
}
