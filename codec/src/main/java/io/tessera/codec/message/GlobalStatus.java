package io.tessera.codec.message;

/**
 * Seata's GlobalStatus with its wire code (spec §6.6.3). Codes 18-20 exist only in 2.5 clients; a
 * 2.2 client cannot decode them, so the coordinator never sends them.
 */
public enum GlobalStatus {
    UnKnown(0),
    Begin(1),
    Committing(2),
    CommitRetrying(3),
    Rollbacking(4),
    RollbackRetrying(5),
    TimeoutRollbacking(6),
    TimeoutRollbackRetrying(7),
    AsyncCommitting(8),
    Committed(9),
    CommitFailed(10),
    Rollbacked(11),
    RollbackFailed(12),
    TimeoutRollbacked(13),
    TimeoutRollbackFailed(14),
    Finished(15),
    CommitRetryTimeout(16),
    RollbackRetryTimeout(17),
    Deleting(18),
    StopCommitOrCommitRetry(19),
    StopRollbackOrRollbackRetry(20);

    private static final GlobalStatus[] BY_CODE = new GlobalStatus[21];

    static {
        for (GlobalStatus s : values()) {
            BY_CODE[s.code] = s;
        }
    }

    private final int code;

    GlobalStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static GlobalStatus of(int code) {
        if (code < 0 || code >= BY_CODE.length) {
            throw new IllegalArgumentException("unknown GlobalStatus " + code);
        }
        return BY_CODE[code];
    }

    /**
     * True for the states in which a transaction no longer changes by itself: the final outcomes, Finished,
     * and the two retry timeouts (phase two gave up; the transaction is kept, parked, for an operator).
     */
    public boolean isEnded() {
        return switch (this) {
            case Committed, CommitFailed, Rollbacked, RollbackFailed, TimeoutRollbacked,
                    TimeoutRollbackFailed, Finished, CommitRetryTimeout, RollbackRetryTimeout -> true;
            default -> false;
        };
    }

    /** Phase two of a commit in progress: Committing, CommitRetrying, AsyncCommitting. */
    public boolean isCommitFamily() {
        return this == Committing || this == CommitRetrying || this == AsyncCommitting;
    }

    /** Phase two of a rollback in progress, timeout rollbacks included. */
    public boolean isRollbackFamily() {
        return this == Rollbacking || this == RollbackRetrying || isTimeoutFamily();
    }

    /** Phase two of a timeout rollback in progress: TimeoutRollbacking, TimeoutRollbackRetrying. */
    public boolean isTimeoutFamily() {
        return this == TimeoutRollbacking || this == TimeoutRollbackRetrying;
    }

    /** In phase two (commit or rollback), i.e. the leader's phase-two driver works on it. */
    public boolean isPhaseTwo() {
        return isCommitFamily() || isRollbackFamily();
    }

    /** Phase two failed at least once and is being retried. */
    public boolean isRetrying() {
        return this == CommitRetrying || this == RollbackRetrying || this == TimeoutRollbackRetrying;
    }

    /** Phase two gave up after the max retry timeout (Seata's retry-timeout end states). */
    public boolean isRetryTimeout() {
        return this == CommitRetryTimeout || this == RollbackRetryTimeout;
    }

    /** A commit outcome: the transaction was decided to commit and phase two is over (or gave up). */
    public boolean isCommitOutcome() {
        return this == Committed || this == CommitFailed || this == CommitRetryTimeout;
    }

    /** A rollback outcome, timeout rollbacks included (there is no TimeoutRollbackRetryTimeout: Seata ends both as RollbackRetryTimeout). */
    public boolean isRollbackOutcome() {
        return this == Rollbacked || this == RollbackFailed || isTimeoutOutcome() || this == RollbackRetryTimeout;
    }

    /** A timeout rollback's outcome: TimeoutRollbacked, TimeoutRollbackFailed. */
    public boolean isTimeoutOutcome() {
        return this == TimeoutRollbacked || this == TimeoutRollbackFailed;
    }

    /** Decided to commit: in phase two of a commit, or a commit outcome. */
    public boolean isCommitDecided() {
        return isCommitFamily() || isCommitOutcome();
    }

    /** Decided to roll back (timeouts included): in phase two of a rollback, or a rollback outcome. */
    public boolean isRollbackDecided() {
        return isRollbackFamily() || isRollbackOutcome();
    }

    /**
     * What a Seata TM reads as "the transaction timed out" after a commit (its TransactionalTemplate's
     * one-phase-timeout check): the timeout family and the timeout outcomes.
     */
    public boolean isTimeoutRollback() {
        return isTimeoutFamily() || isTimeoutOutcome();
    }
}
