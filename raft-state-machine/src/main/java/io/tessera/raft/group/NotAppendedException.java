package io.tessera.raft.group;

/**
 * jraft refused a task before appending it to the log (this node was no longer leader, or the task's
 * expected term was not the current one), so the command certainly did not apply and may be proposed
 * again. Internal to the group: callers only ever see the wrapped {@link GroupException}.
 */
final class NotAppendedException extends RuntimeException {
    private final GroupException failure;

    NotAppendedException(GroupException failure) {
        super(failure.getMessage(), null, false, false);
        this.failure = failure;
    }

    GroupException failure() {
        return failure;
    }
}
