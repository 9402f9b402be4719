package io.tessera.coordinator.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Makes sure a node's data directory exists and can be written before anything else starts. */
final class DataDirs {
    private DataDirs() {
    }

    static void ensureWritable(Path dir) {
        try {
            Files.createDirectories(dir);
            // isWritable() lies for root and on some file systems; writing a file is the real test.
            Path probe = Files.createTempFile(dir, ".write-probe", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new ConfigException("data.dir " + dir + " is not writable (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        }
    }
}
