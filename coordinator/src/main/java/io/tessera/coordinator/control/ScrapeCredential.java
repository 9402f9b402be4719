package io.tessera.coordinator.control;

import io.tessera.coordinator.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * A static bearer secret for a scraper that cannot log in (Prometheus sends a fixed
 * {@code Authorization: Bearer <secret>} from its {@code credentials_file}). Read once from
 * {@code metrics.token-file}; compared in constant time. {@link #NONE} accepts nothing.
 */
public final class ScrapeCredential {
    public static final ScrapeCredential NONE = new ScrapeCredential(null);
    /** Shorter secrets are refused at start: the file is the only thing between a scraper and /metrics. */
    public static final int MIN_LENGTH = 16;

    private final byte[] expected;

    private ScrapeCredential(byte[] expected) {
        this.expected = expected;
    }

    public static ScrapeCredential fromFile(Optional<Path> file) {
        if (file.isEmpty()) {
            return NONE;
        }
        String secret;
        try {
            secret = Files.readString(file.get()).strip();
        } catch (IOException e) {
            throw new ConfigException("cannot read metrics.token-file " + file.get() + ": " + e.getMessage(), e);
        }
        if (secret.length() < MIN_LENGTH || secret.chars().anyMatch(Character::isWhitespace)) {
            throw new ConfigException("metrics.token-file " + file.get() + " must hold one secret of at least "
                    + MIN_LENGTH + " characters without spaces");
        }
        return new ScrapeCredential(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** True when {@code authorization} is {@code Bearer <the secret>}. */
    public boolean accepts(String authorization) {
        if (expected == null || authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        byte[] given = authorization.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, given);
    }
}
