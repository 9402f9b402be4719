package io.tessera.coordinator.config;

/**
 * A configuration or start-up problem the operator must fix. The message is one line that names the
 * key or port at fault; {@code TesseraNode} prints it and exits with status 2.
 */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
