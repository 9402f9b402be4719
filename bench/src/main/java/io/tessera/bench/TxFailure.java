package io.tessera.bench;

/**
 * Ends a transaction attempt with an error key (e.g. "timeout", "BranchRegister:LockKeyConflict").
 * Stackless: it is control flow under load, not a bug report.
 */
final class TxFailure extends RuntimeException {
    private final String code;

    TxFailure(String code) {
        this(code, null);
    }

    TxFailure(String code, Throwable cause) {
        super(code, cause, false, false);
        this.code = code;
    }

    String code() {
        return code;
    }
}
