package io.tessera.codec.compress;

import io.tessera.codec.CodecException;
import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/** Compressor 6: a zlib stream (RFC 1950) with java.util.zip.Deflater defaults. */
final class DeflaterCompressor implements Compressor {
    @Override
    public byte id() {
        return 6;
    }

    @Override
    public byte[] compress(byte[] data) {
        Deflater deflater = new Deflater();
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 32);
            byte[] chunk = new byte[8192];
            while (!deflater.finished()) {
                int n = deflater.deflate(chunk);
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    @Override
    public byte[] decompress(byte[] data, int maxOutput) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            byte[] chunk = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0 && !inflater.finished() && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new CodecException(CodecException.Reason.DECOMPRESSION_FAILED,
                            "truncated deflater stream");
                }
                if ((long) out.size() + n > maxOutput) {
                    throw BoundedRead.tooBig("deflater", maxOutput);
                }
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw BoundedRead.failed("deflater", e);
        } finally {
            inflater.end();
        }
    }
}
