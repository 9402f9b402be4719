package io.tessera.codec.message;

/** globalStatus may be null (encoded as 0xFF by the SEATA codec). */
public record GlobalReportRequest(String xid, String extraData, GlobalStatus globalStatus) implements Request {
    @Override
    public int typeCode() {
        return MessageTypes.GLOBAL_REPORT;
    }
}
