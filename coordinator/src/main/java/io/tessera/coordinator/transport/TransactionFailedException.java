package io.tessera.coordinator.transport;

import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.message.TransactionExceptionCode;

/**
 * A business failure with a Seata exception code, for a {@link TransactionService} that prefers to
 * fail its future rather than build the Failed response itself. {@code globalStatus} is what
 * GlobalCommit/Rollback/Status/Report answers carry (null = the front end's default for that kind).
 */
public final class TransactionFailedException extends RuntimeException {
    private final TransactionExceptionCode code;
    private final GlobalStatus globalStatus;

    public TransactionFailedException(TransactionExceptionCode code, String message) {
        this(code, message, null);
    }

    public TransactionFailedException(TransactionExceptionCode code, String message, GlobalStatus globalStatus) {
        super(message);
        this.code = code;
        this.globalStatus = globalStatus;
    }

    public TransactionExceptionCode code() {
        return code;
    }

    public GlobalStatus globalStatus() {
        return globalStatus;
    }
}
