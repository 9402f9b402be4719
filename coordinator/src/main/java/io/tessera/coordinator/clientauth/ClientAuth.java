package io.tessera.coordinator.clientauth;

import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the transaction port checks client signatures ({@code client-auth.keys-file} set), and the
 * keys it checks them with. Shared by the registration check (transport) and the xid ownership check
 * (TC service). The constructor only remembers the file; {@link #start()} reads it, so a mistake in it
 * stops the node at start with one {@link io.tessera.coordinator.config.ConfigException}.
 */
public final class ClientAuth {
    private static final Logger LOG = LoggerFactory.getLogger(ClientAuth.class);

    private final Optional<Path> keysFile;
    private volatile ClientKeys keys;

    public ClientAuth(Optional<Path> keysFile) {
        this.keysFile = keysFile;
    }

    public static ClientAuth off() {
        return new ClientAuth(Optional.empty());
    }

    /** For tests: on, with keys already parsed. */
    public static ClientAuth with(ClientKeys keys) {
        ClientAuth auth = new ClientAuth(Optional.of(Path.of("(in memory)")));
        auth.keys = keys;
        return auth;
    }

    /** Reads the keys file (once; later calls do nothing). */
    public synchronized void start() {
        if (keysFile.isPresent() && keys == null) {
            keys = ClientKeys.load(keysFile.get());
            LOG.info("client authentication on: {} access keys from {}", keys.size(), keysFile.get());
        }
    }

    public boolean enabled() {
        return keysFile.isPresent();
    }

    /** @throws IllegalStateException when off or not started */
    public ClientKeys keys() {
        ClientKeys k = keys;
        if (k == null) {
            throw new IllegalStateException(enabled() ? "client auth keys not loaded (start() not called)"
                    : "client auth is off");
        }
        return k;
    }
}
