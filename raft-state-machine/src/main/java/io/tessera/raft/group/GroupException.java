package io.tessera.raft.group;

/** Why a proposal or read could not be served; the front end maps this to a client-visible answer. */
public final class GroupException extends RuntimeException {

    public enum Kind {
        /** No leader could be reached within the request timeout. */
        NO_LEADER,
        /** The leader's queue is full (jraft EBUSY); the client may retry. */
        BUSY,
        /** Leadership changed while the command was in flight; its outcome is unknown to this caller. */
        LEADERSHIP_CHANGED,
        /** The request timeout passed. */
        TIMEOUT,
        /** The replica halted or is shutting down. */
        UNAVAILABLE,
        /** The command was rejected before proposing (e.g. undecodable draft). */
        REJECTED
    }

    private final Kind kind;

    public GroupException(Kind kind, String message) {
        super(kind + ": " + message);
        this.kind = kind;
    }

    public GroupException(Kind kind, String message, Throwable cause) {
        super(kind + ": " + message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
