package io.tessera.codec.message;

/** Same layout as {@link RegisterTMResponse}, type 104. */
public record RegisterRMResponse(boolean identified, String version, String extraData, ResultCode resultCode,
        String msg) implements Response {
    @Override
    public int typeCode() {
        return MessageTypes.REG_RM_RESULT;
    }
}
