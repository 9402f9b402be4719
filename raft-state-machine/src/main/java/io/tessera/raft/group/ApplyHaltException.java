package io.tessera.raft.group;

/** Raised by apply for errors after which this replica must not apply anything more. */
public final class ApplyHaltException extends Exception {
    public ApplyHaltException(String message, Throwable cause) {
        super(message, cause);
    }

    public ApplyHaltException(String message) {
        super(message);
    }
}
