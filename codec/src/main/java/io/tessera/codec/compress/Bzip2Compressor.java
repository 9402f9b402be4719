package io.tessera.codec.compress;

import io.tessera.codec.CodecException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.SequenceInputStream;
import java.io.ByteArrayInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;

/**
 * Compressor 4: bzip2 as written by Ant's CBZip2OutputStream, i.e. a standard bzip2 stream
 * WITHOUT its leading "BZ" magic (it starts at "h9"). We strip/re-add the two bytes around
 * commons-compress, which speaks the standard format.
 */
final class Bzip2Compressor implements Compressor {
    private static final byte[] MAGIC = {'B', 'Z'};

    @Override
    public byte id() {
        return 4;
    }

    @Override
    public byte[] compress(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
        try (BZip2CompressorOutputStream bz = new BZip2CompressorOutputStream(out)) {
            bz.write(data);
        } catch (IOException e) {
            throw BoundedRead.unexpected(e);
        }
        byte[] withMagic = out.toByteArray();
        byte[] result = new byte[withMagic.length - 2];
        System.arraycopy(withMagic, 2, result, 0, result.length);
        return result;
    }

    @Override
    public byte[] decompress(byte[] data, int maxOutput) {
        try (BZip2CompressorInputStream in = new BZip2CompressorInputStream(new SequenceInputStream(
                new ByteArrayInputStream(MAGIC), new ByteArrayInputStream(data)))) {
            return BoundedRead.readAll(in, maxOutput, "bzip2");
        } catch (CodecException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw BoundedRead.failed("bzip2", e);
        }
    }
}
