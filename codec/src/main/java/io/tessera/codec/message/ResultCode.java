package io.tessera.codec.message;

/** Outcome of a request; wire value is the ordinal (spec §6.6.1). */
public enum ResultCode {
    Failed,
    Success;

    public int code() {
        return ordinal();
    }

    public static ResultCode of(int code) {
        return switch (code) {
            case 0 -> Failed;
            case 1 -> Success;
            default -> throw new IllegalArgumentException("unknown ResultCode " + code);
        };
    }
}
