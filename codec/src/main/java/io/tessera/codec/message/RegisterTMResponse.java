package io.tessera.codec.message;

/**
 * The SEATA codec encodes only identified and version (spec §6.3.2); PROTOBUF also carries
 * resultCode, msg and extraData.
 */
public record RegisterTMResponse(boolean identified, String version, String extraData, ResultCode resultCode,
        String msg) implements Response {
    @Override
    public int typeCode() {
        return MessageTypes.REG_CLT_RESULT;
    }
}
