package io.tessera.codec.compress;

final class NoneCompressor implements Compressor {
    @Override
    public byte id() {
        return 0;
    }

    @Override
    public byte[] compress(byte[] data) {
        return data;
    }

    @Override
    public byte[] decompress(byte[] data, int maxOutput) {
        if (data.length > maxOutput) {
            throw BoundedRead.tooBig("uncompressed", maxOutput);
        }
        return data;
    }
}
