package io.tessera.codec.compress;

/**
 * One frame compressor (spec §8), identified by the frame's compressor byte. Implementations are
 * stateless and thread-safe.
 */
public interface Compressor {
    byte id();

    byte[] compress(byte[] data);

    /**
     * @param maxOutput the decompressed size above which decompression stops with
     *                  {@link io.tessera.codec.CodecException.Reason#DECOMPRESSION_FAILED}; protects
     *                  against decompression bombs
     */
    byte[] decompress(byte[] data, int maxOutput);
}
