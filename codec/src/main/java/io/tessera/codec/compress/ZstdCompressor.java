package io.tessera.codec.compress;

import com.github.luben.zstd.Zstd;
import io.tessera.codec.CodecException;

/**
 * Compressor 7: a standard zstd frame. Seata's decompressor sizes its buffer from the frame's
 * content-size field, so frames must carry it (Zstd.compress writes it). Decoding is one-shot into
 * a buffer of exactly that size, after checking it against the output budget.
 */
final class ZstdCompressor implements Compressor {
    // ZSTD_CONTENTSIZE_UNKNOWN / ZSTD_CONTENTSIZE_ERROR as signed longs.
    private static final long CONTENTSIZE_UNKNOWN = -1L;
    private static final long CONTENTSIZE_ERROR = -2L;

    @Override
    public byte id() {
        return 7;
    }

    @Override
    public byte[] compress(byte[] data) {
        return Zstd.compress(data);
    }

    @Override
    public byte[] decompress(byte[] data, int maxOutput) {
        try {
            long size = Zstd.getFrameContentSize(data);
            if (size == CONTENTSIZE_ERROR || size < CONTENTSIZE_ERROR) {
                throw new CodecException(CodecException.Reason.DECOMPRESSION_FAILED, "corrupt zstd frame header");
            }
            if (size == CONTENTSIZE_UNKNOWN) {
                // Seata's own decompressor cannot read such frames either; refusing them also keeps
                // a streaming decoder from allocating the (attacker-chosen) window size.
                throw new CodecException(CodecException.Reason.DECOMPRESSION_FAILED,
                        "zstd frame without content size");
            }
            if (size > maxOutput) {
                throw BoundedRead.tooBig("zstd", maxOutput);
            }
            byte[] out = new byte[(int) size];
            long n = Zstd.decompress(out, data);
            if (Zstd.isError(n) || n != size) {
                throw new CodecException(CodecException.Reason.DECOMPRESSION_FAILED,
                        "corrupt zstd body: " + (Zstd.isError(n) ? Zstd.getErrorName(n) : "short output"));
            }
            return out;
        } catch (CodecException e) {
            throw e;
        } catch (RuntimeException e) {
            throw BoundedRead.failed("zstd", e);
        }
    }
}
