package io.tessera.codec;

/** The one exception the codec raises for bad input; {@link #reason()} says which rule was broken. */
public final class CodecException extends RuntimeException {

    public enum Reason {
        BAD_MAGIC,
        UNSUPPORTED_VERSION,
        FRAME_TOO_SHORT,
        FRAME_TOO_LONG,
        BAD_HEAD_LENGTH,
        UNKNOWN_CODEC,
        UNKNOWN_COMPRESSOR,
        DECOMPRESSION_FAILED,
        UNKNOWN_TYPE_CODE,
        MALFORMED_BODY,
        UNENCODABLE,
        /** A frame whose first byte arrived did not complete within the frame deadline. */
        FRAME_TIMEOUT,
        /** Holding this partial frame would put the node's partial-frame bytes over their bound. */
        PENDING_BYTES_LIMIT
    }

    private final Reason reason;
    private final transient ForeignFrame foreignFrame;

    public CodecException(Reason reason, String message) {
        this(reason, message, (Throwable) null);
    }

    public CodecException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
        this.foreignFrame = null;
    }

    /** {@link Reason#UNKNOWN_CODEC} for a whole frame in a serializer we do not speak. */
    public CodecException(String message, ForeignFrame foreignFrame) {
        super(Reason.UNKNOWN_CODEC + ": " + message);
        this.reason = Reason.UNKNOWN_CODEC;
        this.foreignFrame = foreignFrame;
    }

    public Reason reason() {
        return reason;
    }

    /** The refused frame when the reason is its serializer (and the frame was whole); otherwise null. */
    public ForeignFrame foreignFrame() {
        return foreignFrame;
    }
}
