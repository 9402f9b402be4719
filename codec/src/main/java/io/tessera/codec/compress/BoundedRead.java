package io.tessera.codec.compress;

import io.tessera.codec.CodecException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Drains a decompressing stream without ever holding more than {@code max} output bytes. */
final class BoundedRead {
    private BoundedRead() {
    }

    static void drain(InputStream in, ByteArrayOutputStream out, int max, String name) throws IOException {
        byte[] chunk = new byte[8192];
        int n;
        while ((n = in.read(chunk)) != -1) {
            if ((long) out.size() + n > max) {
                throw tooBig(name, max);
            }
            out.write(chunk, 0, n);
        }
    }

    static byte[] readAll(InputStream in, int max, String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        drain(in, out, max, name);
        return out.toByteArray();
    }

    static CodecException tooBig(String name, int max) {
        return new CodecException(CodecException.Reason.DECOMPRESSION_FAILED,
                name + " body decompresses to more than " + max + " bytes");
    }

    static CodecException failed(String name, Exception e) {
        return new CodecException(CodecException.Reason.DECOMPRESSION_FAILED,
                "corrupt " + name + " body: " + e.getMessage(), e);
    }

    /** In-memory streams never fail with IOException on write; this keeps signatures clean. */
    static UncheckedIOException unexpected(IOException e) {
        return new UncheckedIOException(e);
    }
}
