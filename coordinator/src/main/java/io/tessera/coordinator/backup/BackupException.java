package io.tessera.coordinator.backup;

/** A backup or restore step refused: the message names the problem in one line, for operators. */
public final class BackupException extends RuntimeException {
    public BackupException(String message) {
        super(message);
    }

    public BackupException(String message, Throwable cause) {
        super(message, cause);
    }
}
