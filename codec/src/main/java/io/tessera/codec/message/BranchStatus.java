package io.tessera.codec.message;

/** Seata's BranchStatus with its wire code (spec §6.6.4). STOP_RETRY exists only in 2.5 clients. */
public enum BranchStatus {
    Unknown(0),
    Registered(1),
    PhaseOne_Done(2),
    PhaseOne_Failed(3),
    PhaseOne_Timeout(4),
    PhaseTwo_Committed(5),
    PhaseTwo_CommitFailed_Retryable(6),
    PhaseTwo_CommitFailed_Unretryable(7),
    PhaseTwo_Rollbacked(8),
    PhaseTwo_RollbackFailed_Retryable(9),
    PhaseTwo_RollbackFailed_Unretryable(10),
    PhaseTwo_CommitFailed_XAER_NOTA_Retryable(11),
    PhaseTwo_RollbackFailed_XAER_NOTA_Retryable(12),
    PhaseOne_RDONLY(13),
    STOP_RETRY(14);

    private static final BranchStatus[] BY_CODE = new BranchStatus[15];

    static {
        for (BranchStatus s : values()) {
            BY_CODE[s.code] = s;
        }
    }

    private final int code;

    BranchStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static BranchStatus of(int code) {
        if (code < 0 || code >= BY_CODE.length) {
            throw new IllegalArgumentException("unknown BranchStatus " + code);
        }
        return BY_CODE[code];
    }
}
