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

    /** True for the states in which a transaction no longer changes. */
    public boolean isEnded() {
        return switch (this) {
            case Committed, CommitFailed, Rollbacked, RollbackFailed, TimeoutRollbacked,
                    TimeoutRollbackFailed, Finished, CommitRetryTimeout, RollbackRetryTimeout -> true;
            default -> false;
        };
    }
}
