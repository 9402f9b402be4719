package io.tessera.codec.compress;

import io.tessera.codec.CodecException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import net.jpountz.lz4.LZ4BlockOutputStream;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Compressor 5: lz4-java's LZ4BlockOutputStream format (block size 1024), NOT the LZ4 frame format.
 * Each block: "LZ4Block" | token (0x10 raw / 0x20 lz4, low nibble = log2(blockSize) - 10) |
 * LE i32 compressedLength | LE i32 originalLength | LE i32 checksum | data; an empty block ends the
 * stream.
 *
 * <p>Decoding is our own parser rather than LZ4BlockInputStream because that class allocates the
 * block size announced by the (untrusted) header, up to 32 MiB; here every length is checked
 * against the input actually present and the output budget first.
 */
final class Lz4Compressor implements Compressor {
    private static final byte[] MAGIC = {'L', 'Z', '4', 'B', 'l', 'o', 'c', 'k'};
    private static final int HEADER = MAGIC.length + 13;
    private static final int RAW = 0x10;
    private static final int LZ4 = 0x20;
    private static final int SEED = 0x9747b28c;
    private static final int BLOCK_SIZE = 1024;

    private final LZ4Factory lz4 = LZ4Factory.fastestInstance();
    private final XXHashFactory xxhash = XXHashFactory.fastestInstance();

    @Override
    public byte id() {
        return 5;
    }

    @Override
    public byte[] compress(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 64);
        try (LZ4BlockOutputStream lz = new LZ4BlockOutputStream(out, BLOCK_SIZE, lz4.fastCompressor())) {
            lz.write(data);
        } catch (IOException e) {
            throw BoundedRead.unexpected(e);
        }
        return out.toByteArray();
    }

    @Override
    public byte[] decompress(byte[] data, int maxOutput) {
        LZ4SafeDecompressor decompressor = lz4.safeDecompressor();
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        int pos = 0;
        while (pos < data.length) {
            if (data.length - pos < HEADER) {
                throw fail("truncated block header");
            }
            for (int i = 0; i < MAGIC.length; i++) {
                if (data[pos + i] != MAGIC[i]) {
                    throw fail("bad block magic");
                }
            }
            int token = data[pos + 8] & 0xFF;
            int method = token & 0xF0;
            int blockSize = 1 << (10 + (token & 0x0F));
            int compressedLength = le32(data, pos + 9);
            int originalLength = le32(data, pos + 13);
            int checksum = le32(data, pos + 17);
            pos += HEADER;
            if (originalLength == 0 && compressedLength == 0) {
                if (checksum != 0 || pos != data.length) {
                    throw fail("garbage after the end block");
                }
                return out.toByteArray();
            }
            if ((method != RAW && method != LZ4) || originalLength < 0 || originalLength > blockSize
                    || compressedLength < 0 || compressedLength > data.length - pos
                    || (method == RAW && compressedLength != originalLength)) {
                throw fail("bad block header");
            }
            if ((long) out.size() + originalLength > maxOutput) {
                throw BoundedRead.tooBig("lz4", maxOutput);
            }
            byte[] block = new byte[originalLength];
            if (method == RAW) {
                System.arraycopy(data, pos, block, 0, originalLength);
            } else {
                try {
                    int n = decompressor.decompress(data, pos, compressedLength, block, 0, originalLength);
                    if (n != originalLength) {
                        throw fail("block length mismatch");
                    }
                } catch (LZ4Exception e) {
                    throw BoundedRead.failed("lz4", e);
                }
            }
            int actual = xxhash.hash32().hash(block, 0, originalLength, SEED) & 0x0FFFFFFF;
            if (actual != checksum) {
                throw fail("checksum mismatch");
            }
            out.write(block, 0, originalLength);
            pos += compressedLength;
        }
        // lz4-java's reader also accepts a stream that ends on a block boundary without the end block.
        return out.toByteArray();
    }

    private static int le32(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    private static CodecException fail(String what) {
        return new CodecException(CodecException.Reason.DECOMPRESSION_FAILED, "corrupt lz4 body: " + what);
    }
}
