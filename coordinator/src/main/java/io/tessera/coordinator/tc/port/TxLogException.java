package io.tessera.coordinator.tc.port;

/**
 * A proposal or read barrier without an outcome: no leader in time, leadership changed with the entry in
 * flight, the replica halted or stopping. The message names the replication layer's reason (e.g.
 * {@code LEADERSHIP_CHANGED: ...}), which is what clients are told for requests that cannot be repeated.
 */
public final class TxLogException extends RuntimeException {

    /** Whether the draft may have applied. */
    public enum Outcome {
        /** Refused before it could be proposed (malformed draft): nothing applied. */
        NOT_APPLIED,
        /** It may or may not have applied; only a later read or an idempotent repeat can tell. */
        UNKNOWN
    }

    private final Outcome outcome;

    public TxLogException(Outcome outcome, String message, Throwable cause) {
        super(message, cause);
        this.outcome = outcome;
    }

    public Outcome outcome() {
        return outcome;
    }
}
