package io.tessera.coordinator;

import io.tessera.coordinator.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code <dataDir>/node.pid}: refuses to start a second process on the same data directory and
 * tells scripts which process to signal. A pid file of a dead process is stale and replaced.
 */
final class PidFile implements AutoCloseable {
    private final Path file;
    private final long pid = ProcessHandle.current().pid();

    PidFile(Path file) {
        this.file = file;
    }

    void acquire() {
        Optional<Long> existing = read();
        if (existing.isPresent() && existing.get() != pid
                && ProcessHandle.of(existing.get()).map(ProcessHandle::isAlive).orElse(false)) {
            throw new ConfigException("another node (pid " + existing.get() + ") is running on " + file.getParent()
                    + " (pid file " + file + ")");
        }
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, pid + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ConfigException("cannot write pid file " + file + ": " + e.getMessage(), e);
        }
    }

    private Optional<Long> read() {
        try {
            return Optional.of(Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Removes the file only if it is still ours. */
    @Override
    public void close() {
        if (read().filter(p -> p == pid).isPresent()) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover pid file of a dead process is treated as stale on the next start
            }
        }
    }
}
