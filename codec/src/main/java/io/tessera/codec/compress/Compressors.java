package io.tessera.codec.compress;

import io.tessera.codec.CodecException;

/** The compressors a frame codec knows, looked up by the frame's compressor byte (spec §8). */
public final class Compressors {
    private static final byte SEVEN_Z = 3;

    private final Compressor[] byId = new Compressor[8];

    /** none(0), gzip(1), zip(2), bzip2(4), lz4(5), deflater(6), zstd(7); 7z(3) is gone since Seata 2.0. */
    public Compressors() {
        for (Compressor c : new Compressor[] {new NoneCompressor(), new GzipCompressor(), new ZipCompressor(),
                new Bzip2Compressor(), new Lz4Compressor(), new DeflaterCompressor(), new ZstdCompressor()}) {
            byId[c.id()] = c;
        }
    }

    /** @throws CodecException UNKNOWN_COMPRESSOR for 7z and any byte we do not know */
    public Compressor get(byte id) {
        if (id == SEVEN_Z) {
            throw new CodecException(CodecException.Reason.UNKNOWN_COMPRESSOR,
                    "compressor 3 (7z) was removed in Seata 2.0 and is not supported");
        }
        Compressor c = id >= 0 && id < byId.length ? byId[id] : null;
        if (c == null) {
            throw new CodecException(CodecException.Reason.UNKNOWN_COMPRESSOR, "unknown compressor byte " + id);
        }
        return c;
    }
}
