package io.tessera.coordinator.transport;

/** The RM did not answer a phase-two request in time (or its connection closed first). */
public final class RmRequestTimeoutException extends RuntimeException {
    public RmRequestTimeoutException(String message) {
        super(message);
    }
}
