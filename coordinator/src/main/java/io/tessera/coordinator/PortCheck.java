package io.tessera.coordinator;

import io.tessera.coordinator.config.ConfigException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Fails start-up with one line when a port this node needs is taken by another process. */
final class PortCheck {
    private PortCheck() {
    }

    static void ensureFree(String host, int port, String what) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new ConfigException(what + " port " + host + ":" + port + " is already in use (" + e.getMessage() + ")");
        }
    }
}
