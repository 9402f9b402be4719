package io.tessera.codec.compress;

import io.tessera.codec.CodecException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** Compressor 2: a ZIP archive with one deflated entry named "zip"; decoding concatenates all entries. */
final class ZipCompressor implements Compressor {
    @Override
    public byte id() {
        return 2;
    }

    @Override
    public byte[] compress(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 128);
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("zip"));
            zip.write(data);
            zip.closeEntry();
        } catch (IOException e) {
            throw BoundedRead.unexpected(e);
        }
        return out.toByteArray();
    }

    @Override
    public byte[] decompress(byte[] data, int maxOutput) {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(data))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            while (in.getNextEntry() != null) {
                BoundedRead.drain(in, out, maxOutput, "zip");
            }
            return out.toByteArray();
        } catch (CodecException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw BoundedRead.failed("zip", e);
        }
    }
}
