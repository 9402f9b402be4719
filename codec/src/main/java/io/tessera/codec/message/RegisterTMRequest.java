package io.tessera.codec.message;

public record RegisterTMRequest(String version, String applicationId, String transactionServiceGroup,
        String extraData) implements Request {
    @Override
    public int typeCode() {
        return MessageTypes.REG_CLT;
    }
}
