package io.tessera.codec.message;

/** Body type codes (spec §5). */
public final class MessageTypes {
    public static final int GLOBAL_BEGIN = 1;
    public static final int GLOBAL_BEGIN_RESULT = 2;
    public static final int BRANCH_COMMIT = 3;
    public static final int BRANCH_COMMIT_RESULT = 4;
    public static final int BRANCH_ROLLBACK = 5;
    public static final int BRANCH_ROLLBACK_RESULT = 6;
    public static final int GLOBAL_COMMIT = 7;
    public static final int GLOBAL_COMMIT_RESULT = 8;
    public static final int GLOBAL_ROLLBACK = 9;
    public static final int GLOBAL_ROLLBACK_RESULT = 10;
    public static final int BRANCH_REGISTER = 11;
    public static final int BRANCH_REGISTER_RESULT = 12;
    public static final int BRANCH_STATUS_REPORT = 13;
    public static final int BRANCH_STATUS_REPORT_RESULT = 14;
    public static final int GLOBAL_STATUS = 15;
    public static final int GLOBAL_STATUS_RESULT = 16;
    public static final int GLOBAL_REPORT = 17;
    public static final int GLOBAL_REPORT_RESULT = 18;
    public static final int GLOBAL_LOCK_QUERY = 21;
    public static final int GLOBAL_LOCK_QUERY_RESULT = 22;
    public static final int SEATA_MERGE = 59;
    public static final int SEATA_MERGE_RESULT = 60;
    public static final int REG_CLT = 101;
    public static final int REG_CLT_RESULT = 102;
    public static final int REG_RM = 103;
    public static final int REG_RM_RESULT = 104;
    public static final int RM_DELETE_UNDOLOG = 111;
    public static final int HEARTBEAT_MSG = 120;
    public static final int BATCH_RESULT_MSG = 121;

    private MessageTypes() {
    }
}
