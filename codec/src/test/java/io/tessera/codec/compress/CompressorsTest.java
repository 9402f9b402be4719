package io.tessera.codec.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tessera.codec.CodecException;
import io.tessera.codec.FrameCodec;
import io.tessera.codec.RpcFrame;
import io.tessera.codec.message.Message;
import io.tessera.codec.oracle.SeataMessageGenerator;
import io.tessera.codec.oracle.SeataOracle;
import io.tessera.codec.oracle.SeataWireExpectations;
import io.tessera.codec.seata.SeataBodyCodec;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each compressor of spec §8: round trips, agreement with seata-all's compressor classes, bounds, corruption. */
class CompressorsTest {
    private static final long SEED = 8_8L;
    private final Compressors compressors = new Compressors();

    private static byte[][] samples(Random random) {
        byte[] noise = new byte[100_000];
        random.nextBytes(noise);
        return new byte[][] {new byte[0], {42}, "hello seata".getBytes(StandardCharsets.UTF_8),
            "t_order:1,2,3;".repeat(5_000).getBytes(StandardCharsets.UTF_8), noise, new byte[3_000]};
    }

    /** seata-all 2.5.0's own compressor for the byte (bzip2 needs Apache Ant, which the oracle lacks). */
    private static org.apache.seata.core.compressor.Compressor seata(byte id) {
        return switch (id) {
            case 1 -> new org.apache.seata.compressor.gzip.GzipCompressor();
            case 2 -> new org.apache.seata.compressor.zip.ZipCompressor();
            case 5 -> new org.apache.seata.compressor.lz4.Lz4Compressor();
            case 6 -> new org.apache.seata.compressor.deflater.DeflaterCompressor();
            case 7 -> new org.apache.seata.compressor.zstd.ZstdCompressor();
            default -> null;
        };
    }

    @ParameterizedTest
    @ValueSource(bytes = {0, 1, 2, 4, 5, 6, 7})
    void roundTripsAndAgreesWithSeataAll(byte id) {
        Compressor c = compressors.get(id);
        assertEquals(id, c.id());
        org.apache.seata.core.compressor.Compressor reference = seata(id);
        for (byte[] data : samples(new Random(SEED))) {
            byte[] packed = c.compress(data);
            assertArrayEquals(data, c.decompress(packed, data.length), "exact budget suffices");
            if (reference != null && data.length > 0) {
                assertArrayEquals(data, reference.decompress(packed), "seata-all reads ours");
                assertArrayEquals(data, c.decompress(reference.compress(data), 1 << 20), "we read seata-all's");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(bytes = {0, 1, 2, 4, 5, 6, 7})
    void decompressionIsBounded(byte id) {
        Compressor c = compressors.get(id);
        byte[] bomb = c.compress(new byte[2_000_000]);
        assertTrue(id == 0 || bomb.length < 100_000, "compressible: " + bomb.length);
        CodecException e = assertThrows(CodecException.class, () -> c.decompress(bomb, 1_999_999));
        assertEquals(CodecException.Reason.DECOMPRESSION_FAILED, e.reason());
        assertEquals(2_000_000, c.decompress(bomb, 2_000_000).length);
    }

    @ParameterizedTest
    @ValueSource(bytes = {1, 2, 4, 5, 6, 7})
    void corruptInputOnlyYieldsCodecException(byte id) {
        Compressor c = compressors.get(id);
        Random random = new Random(SEED + id);
        byte[] good = c.compress("GlobalBeginRequest test-tx ".repeat(200).getBytes(StandardCharsets.UTF_8));
        int rejected = 0;
        for (int i = 0; i < 2_000; i++) {
            byte[] bad = good.clone();
            if (i % 3 == 0) {
                bad = java.util.Arrays.copyOf(bad, random.nextInt(bad.length));
            } else {
                for (int k = 0; k <= i % 4; k++) {
                    bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
                }
            }
            try {
                c.decompress(bad, 1 << 20);
            } catch (CodecException e) {
                assertEquals(CodecException.Reason.DECOMPRESSION_FAILED, e.reason());
                rejected++;
            } catch (Throwable t) {
                fail("seed=" + (SEED + id) + " i=" + i + " input=" + HexFormat.of().formatHex(bad), t);
            }
        }
        assertTrue(rejected > 500, "rejected " + rejected);
    }

    @org.junit.jupiter.api.Test
    void zstdFramesWithoutContentSizeAreRefused() throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (var z = new com.github.luben.zstd.ZstdOutputStream(out)) {
            z.write("streamed without a pledged size".getBytes(StandardCharsets.UTF_8));
        }
        CodecException e = assertThrows(CodecException.class,
                () -> compressors.get((byte) 7).decompress(out.toByteArray(), 1 << 20));
        assertEquals(CodecException.Reason.DECOMPRESSION_FAILED, e.reason());
        assertTrue(e.getMessage().contains("content size"), e.getMessage());
    }

    /** Whole frames with a compressed body, seata-all ⇄ us (bzip2 is covered by vector V49). */
    @ParameterizedTest
    @ValueSource(bytes = {1, 2, 5, 6, 7})
    void compressedFramesCrossBothWays(byte id) {
        SeataOracle oracle = new SeataOracle();
        FrameCodec codec = new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME_LENGTH, List.of(new SeataBodyCodec()));
        Random random = new Random(SEED * 31 + id);
        SeataMessageGenerator generator = new SeataMessageGenerator(random);
        for (int i = 0; i < 60; i++) {
            int type = SeataMessageGenerator.TYPE_CODES[random.nextInt(SeataMessageGenerator.TYPE_CODES.length)];
            Message m = generator.generate(type);
            RpcFrame frame = new RpcFrame((byte) 1, RpcFrame.CODEC_SEATA, id, i, Map.of(), m);
            String where = "seed=" + (SEED * 31 + id) + " i=" + i;
            assertEquals(withBody(frame, SeataWireExpectations.afterWire(m)),
                    codec.decode(oracle.encodeWithSeata(frame)), where);
            assertEquals(withBody(frame, SeataWireExpectations.afterSeataDecoder(m, SeataOracle.seataDefaultVersion())),
                    oracle.decodeWithSeata(codec.encode(frame)), where);
        }
    }

    private static RpcFrame withBody(RpcFrame f, Message body) {
        return new RpcFrame(f.messageType(), f.codec(), f.compressor(), f.requestId(), f.headMap(), body);
    }
}
