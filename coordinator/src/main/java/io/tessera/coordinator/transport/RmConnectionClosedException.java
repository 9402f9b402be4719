package io.tessera.coordinator.transport;

/** The RM connection closed while a phase-two request on it was waiting for its answer. */
public final class RmConnectionClosedException extends RuntimeException {
    public RmConnectionClosedException(String message) {
        super(message);
    }
}
