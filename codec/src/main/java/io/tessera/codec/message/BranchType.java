package io.tessera.codec.message;

/** Branch mode; wire value is the ordinal (spec §6.6.5). SAGA_ANNOTATION exists only in 2.5+ clients. */
public enum BranchType {
    AT,
    TCC,
    SAGA,
    XA,
    SAGA_ANNOTATION;

    private static final BranchType[] VALUES = values();

    public int code() {
        return ordinal();
    }

    public static BranchType of(int code) {
        if (code < 0 || code >= VALUES.length) {
            throw new IllegalArgumentException("unknown BranchType " + code);
        }
        return VALUES[code];
    }
}
