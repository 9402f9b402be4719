package io.tessera.coordinator.control;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.coordinator.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScrapeCredentialTest {
    @TempDir
    Path dir;

    @Test
    void acceptsOnlyTheBearerSecretOfTheFile() throws Exception {
        Path f = Files.writeString(dir.resolve("token"), "  0123456789abcdef-secret\n");
        ScrapeCredential c = ScrapeCredential.fromFile(Optional.of(f));
        assertTrue(c.accepts("Bearer 0123456789abcdef-secret"));
        assertFalse(c.accepts("Bearer 0123456789abcdef-secreT"));
        assertFalse(c.accepts("0123456789abcdef-secret"), "the Bearer scheme is required");
        assertFalse(c.accepts(null));
        assertFalse(ScrapeCredential.NONE.accepts("Bearer 0123456789abcdef-secret"), "no file: tokens only");
        assertFalse(ScrapeCredential.fromFile(Optional.empty()).accepts("Bearer "));
    }

    @Test
    void refusesAShortOrMissingSecret() throws Exception {
        Path shortOne = Files.writeString(dir.resolve("short"), "tooshort");
        assertTrue(assertThrows(ConfigException.class, () -> ScrapeCredential.fromFile(Optional.of(shortOne)))
                .getMessage().contains("at least 16"));
        assertThrows(ConfigException.class, () -> ScrapeCredential.fromFile(Optional.of(dir.resolve("absent"))));
    }
}
