package io.tessera.codec.message;

/**
 * GlobalCommit (7), GlobalRollback (9) and GlobalStatus (15) requests share one layout:
 * xid, extraData. {@link Kind} tells which one this is.
 */
public record GlobalEndRequest(Kind kind, String xid, String extraData) implements Request {
    public enum Kind {
        COMMIT(MessageTypes.GLOBAL_COMMIT, MessageTypes.GLOBAL_COMMIT_RESULT),
        ROLLBACK(MessageTypes.GLOBAL_ROLLBACK, MessageTypes.GLOBAL_ROLLBACK_RESULT),
        STATUS(MessageTypes.GLOBAL_STATUS, MessageTypes.GLOBAL_STATUS_RESULT),
        REPORT(MessageTypes.GLOBAL_REPORT, MessageTypes.GLOBAL_REPORT_RESULT);

        public final int requestType;
        public final int responseType;

        Kind(int requestType, int responseType) {
            this.requestType = requestType;
            this.responseType = responseType;
        }
    }

    public GlobalEndRequest {
        if (kind == Kind.REPORT) {
            throw new IllegalArgumentException("GlobalReport has its own record: GlobalReportRequest");
        }
    }

    @Override
    public int typeCode() {
        return kind.requestType;
    }
}
