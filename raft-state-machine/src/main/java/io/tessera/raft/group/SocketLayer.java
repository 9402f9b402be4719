package io.tessera.raft.group;

import java.io.IOException;
import java.net.Socket;

/** What runs over a freshly connected raft-port socket of ours that bolt does not manage (the leader watch). */
@FunctionalInterface
interface SocketLayer {
    /** Plain TCP: the socket as it is. */
    SocketLayer PLAIN = (socket, host, port) -> socket;

    /** Returns the socket to use; closes {@code connected} and throws if the layer cannot be set up. */
    Socket over(Socket connected, String host, int port) throws IOException;
}
