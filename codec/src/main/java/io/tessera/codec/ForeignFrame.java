package io.tessera.codec;

/**
 * A well-formed v1 frame whose body is in a serializer this codec does not speak (Kryo, Hessian, Fury,
 * …): its header, and the first bytes of its body as received (still compressed if the frame says so).
 * Carried by the {@link CodecException} that refuses it, so that a server can still answer the client
 * in a codec the client reads (the header alone says which request the answer is for) before closing.
 *
 * @param bodyStart at most {@link #BODY_START_BYTES} bytes; enough for the class name some serializers
 *     write first
 */
public record ForeignFrame(byte messageType, byte codec, byte compressor, int requestId, byte[] bodyStart) {
    public static final int BODY_START_BYTES = 512;

    public ForeignFrame {
        bodyStart = bodyStart.clone();
    }

    @Override
    public byte[] bodyStart() {
        return bodyStart.clone();
    }
}
