package io.tessera.raft.group;

/** The leader cannot hand out another unique id in its term (see TermIds for the limits). */
final class IdSpaceExhaustedException extends IllegalStateException {
    IdSpaceExhaustedException(String message) {
        super(message);
    }
}
