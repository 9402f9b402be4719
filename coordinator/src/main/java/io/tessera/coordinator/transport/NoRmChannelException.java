package io.tessera.coordinator.transport;

/** No live RM connection on this node can take a branch's phase-two request. */
public final class NoRmChannelException extends RuntimeException {
    public NoRmChannelException(String message) {
        super(message);
    }
}
