package io.tessera.codec.message;

/** resourceIds is the comma-joined list of resources the RM manages (may be null). */
public record RegisterRMRequest(String version, String applicationId, String transactionServiceGroup,
        String extraData, String resourceIds) implements Request {
    @Override
    public int typeCode() {
        return MessageTypes.REG_RM;
    }
}
