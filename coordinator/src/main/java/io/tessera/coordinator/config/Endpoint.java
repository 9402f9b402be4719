package io.tessera.coordinator.config;

/** host:port as clients and peers address a node. */
public record Endpoint(String host, int port) {
    @Override
    public String toString() {
        return host + ":" + port;
    }
}
