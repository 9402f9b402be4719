package io.tessera.codec.message;

/** timeout in milliseconds. applicationId/group come from the connection's registration. */
public record GlobalBeginRequest(int timeout, String transactionName) implements Request {
    @Override
    public int typeCode() {
        return MessageTypes.GLOBAL_BEGIN;
    }
}
