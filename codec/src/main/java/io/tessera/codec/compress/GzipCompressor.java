package io.tessera.codec.compress;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Compressor 1: an RFC 1952 gzip member. */
final class GzipCompressor implements Compressor {
    @Override
    public byte id() {
        return 1;
    }

    @Override
    public byte[] compress(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 32);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw BoundedRead.unexpected(e);
        }
        return out.toByteArray();
    }

    @Override
    public byte[] decompress(byte[] data, int maxOutput) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return BoundedRead.readAll(in, maxOutput, "gzip");
        } catch (IOException | RuntimeException e) {
            if (e instanceof io.tessera.codec.CodecException ce) {
                throw ce;
            }
            throw BoundedRead.failed("gzip", e);
        }
    }
}
