package io.tessera.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.tessera.codec.oracle.SeataVectors;
import io.tessera.codec.seata.SeataBodyCodec;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hostile input through both entry points — {@link FrameCodec#decode(byte[])} and the Netty
 * {@link FrameDecoder} — must produce frames or {@link CodecException} (wrapped by Netty in a
 * DecoderException), never another throwable, and never an allocation sized by a declared length.
 */
class BadInputTest {
    private static final long SEED = 20_261_122L;

    private final FrameCodec codec = new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME_LENGTH, List.of(new SeataBodyCodec()));
    private final SeataVectors vectors = SeataVectors.load();

    /** Allocator that remembers the largest buffer the pipeline asked for. */
    static final class TrackingAllocator extends AbstractByteBufAllocator {
        int largest;

        TrackingAllocator() {
            super(false);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            largest = Math.max(largest, initialCapacity);
            return new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            return newHeapBuffer(initialCapacity, maxCapacity);
        }

        /** Buffers that grow in place ask here first. */
        @Override
        public int calculateNewCapacity(int minNewCapacity, int maxCapacity) {
            int c = super.calculateNewCapacity(minNewCapacity, maxCapacity);
            largest = Math.max(largest, c);
            return c;
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }

    private EmbeddedChannel channel(TrackingAllocator alloc) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(alloc);
        ch.pipeline().addLast(new FrameDecoder(codec));
        return ch;
    }

    /** Feeds bytes; returns the decoded frames, or the CodecException the decoder raised. */
    private static Object feed(EmbeddedChannel ch, byte[] bytes) {
        try {
            ch.writeInbound(Unpooled.wrappedBuffer(bytes));
        } catch (DecoderException e) {
            return assertInstanceOf(CodecException.class, e.getCause(), "only CodecException may escape");
        }
        List<RpcFrame> frames = new ArrayList<>();
        for (Object o = ch.readInbound(); o != null; o = ch.readInbound()) {
            frames.add((RpcFrame) o);
        }
        return frames;
    }

    private static boolean isV1Seata(byte[] f) {
        return f.length >= 16 && f[2] == 1 && f[10] == RpcFrame.CODEC_SEATA
                && ByteBuffer.wrap(f, 3, 4).getInt() == f.length;
    }

    @Test
    void everyTruncationOfEveryVector() {
        for (var entry : vectors.all().entrySet()) {
            for (byte[] full : entry.getValue()) {
                for (int cut = 0; cut < full.length; cut++) {
                    byte[] prefix = Arrays.copyOf(full, cut);
                    String where = entry.getKey() + " cut at " + cut;
                    CodecException e = assertThrows(CodecException.class, () -> codec.decode(prefix), where);
                    if (full[2] == 1 && cut < full.length) {
                        assertTrue(e.reason() == CodecException.Reason.FRAME_TOO_SHORT, where + ": " + e);
                    }
                    if (isV1Seata(full)) {
                        EmbeddedChannel ch = channel(new TrackingAllocator());
                        assertEquals(List.of(), feed(ch, prefix), where + ": needs more bytes");
                        Object rest = feed(ch, Arrays.copyOfRange(full, cut, full.length));
                        assertEquals(List.of(codec.decode(full)), rest, where);
                        ch.finishAndReleaseAll();
                    }
                }
            }
        }
    }

    @Test
    void byteByByteStreamOfAllVectorsYieldsEveryFrame() {
        List<RpcFrame> expected = new ArrayList<>();
        java.io.ByteArrayOutputStream stream = new java.io.ByteArrayOutputStream();
        for (var frames : vectors.all().values()) {
            for (byte[] f : frames) {
                if (isV1Seata(f)) {
                    expected.add(codec.decode(f));
                    stream.writeBytes(f);
                }
            }
        }
        EmbeddedChannel ch = channel(new TrackingAllocator());
        List<RpcFrame> got = new ArrayList<>();
        for (byte b : stream.toByteArray()) {
            @SuppressWarnings("unchecked")
            List<RpcFrame> frames = (List<RpcFrame>) feed(ch, new byte[] {b});
            got.addAll(frames);
        }
        assertEquals(expected, got);
        assertTrue(expected.size() > 50);
    }

    @Test
    void randomAndMutatedBytesOnlyEverYieldCodecException() {
        Random random = new Random(SEED);
        List<byte[]> seeds = new ArrayList<>();
        vectors.all().values().forEach(seeds::addAll);
        int frames = 0;
        int errors = 0;
        for (int i = 0; i < 100_000; i++) {
            byte[] input = switch (i % 4) {
                case 0 -> randomBytes(random, random.nextInt(48));
                case 1 -> withHeader(random, randomBytes(random, random.nextInt(64)));
                default -> mutate(random, seeds.get(random.nextInt(seeds.size())));
            };
            String where = "seed=" + SEED + " i=" + i + " input=" + java.util.HexFormat.of().formatHex(input);
            RpcFrame direct = null;
            try {
                direct = codec.decode(input);
                frames++;
            } catch (CodecException expected) {
                errors++;
            } catch (Throwable t) {
                fail(where, t);
            }
            TrackingAllocator alloc = new TrackingAllocator();
            EmbeddedChannel ch = channel(alloc);
            Object viaNetty;
            try {
                viaNetty = feed(ch, input);
            } catch (Throwable t) {
                throw new AssertionError(where, t);
            } finally {
                ch.finishAndReleaseAll();
            }
            if (direct != null) {
                assertEquals(List.of(direct), viaNetty, where);
            }
            assertTrue(alloc.largest <= Math.max(1024, 2 * input.length), where + " allocated " + alloc.largest);
        }
        // The mix must actually exercise both outcomes.
        assertTrue(frames > 1_000 && errors > 50_000, "frames=" + frames + " errors=" + errors);
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** A valid v1 header with consistent lengths in front of random body bytes. */
    private static byte[] withHeader(Random random, byte[] body) {
        ByteBuffer buf = ByteBuffer.allocate(16 + body.length);
        buf.put((byte) 0xDA).put((byte) 0xDA).put((byte) 1).putInt(16 + body.length).putShort((short) 16)
                .put((byte) random.nextInt(3)).put((byte) 1).put((byte) random.nextInt(8)).putInt(random.nextInt())
                .put(body);
        return buf.array();
    }

    private static byte[] mutate(Random random, byte[] frame) {
        byte[] b = frame.clone();
        int flips = 1 + random.nextInt(3);
        for (int k = 0; k < flips && b.length > 0; k++) {
            // Mostly hit the body, so the body decoders see the damage rather than the header checks.
            int at = b.length > 16 && random.nextInt(4) != 0 ? 16 + random.nextInt(b.length - 16)
                    : random.nextInt(b.length);
            b[at] = (byte) random.nextInt(256);
        }
        return b;
    }

    @Test
    void hugeDeclaredLengthsAreRefusedBeforeBuffering() {
        for (int declared : new int[] {FrameCodec.DEFAULT_MAX_FRAME_LENGTH + 1, 1 << 30, Integer.MAX_VALUE}) {
            TrackingAllocator alloc = new TrackingAllocator();
            EmbeddedChannel ch = channel(alloc);
            byte[] prefix = ByteBuffer.allocate(7).put((byte) 0xDA).put((byte) 0xDA).put((byte) 1).putInt(declared)
                    .array();
            Object result = feed(ch, prefix);
            assertEquals(CodecException.Reason.FRAME_TOO_LONG, ((CodecException) result).reason(), "" + declared);
            // The stream is not re-synchronised: even a valid frame afterwards is dropped.
            assertEquals(List.of(), feed(ch, vectors.frame("V8")));
            assertTrue(alloc.largest < 1024, "allocated " + alloc.largest);
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void largeButLegalDeclaredLengthWaitsWithoutPreallocating() {
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel ch = channel(alloc);
        byte[] header = ByteBuffer.allocate(116).put((byte) 0xDA).put((byte) 0xDA).put((byte) 1)
                .putInt(FrameCodec.DEFAULT_MAX_FRAME_LENGTH).putShort((short) 16).array();
        assertEquals(List.of(), feed(ch, header));
        assertEquals(List.of(), feed(ch, new byte[100]));
        assertTrue(alloc.largest < 4096, "allocated " + alloc.largest);
        ch.finishAndReleaseAll();
    }

    @Test
    void headerProblemsAreRefusedAsSoonAsTheirBytesArrive() {
        EmbeddedChannel ch = channel(new TrackingAllocator());
        assertEquals(CodecException.Reason.BAD_MAGIC, ((CodecException) feed(ch, new byte[] {'G'})).reason());
        ch.finishAndReleaseAll();
        EmbeddedChannel http2 = channel(new TrackingAllocator());
        assertEquals(CodecException.Reason.BAD_MAGIC,
                ((CodecException) feed(http2, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes())).reason());
        http2.finishAndReleaseAll();
        EmbeddedChannel v0 = channel(new TrackingAllocator());
        assertEquals(CodecException.Reason.UNSUPPORTED_VERSION,
                ((CodecException) feed(v0, vectors.frame("V47"))).reason());
        v0.finishAndReleaseAll();
        // The corrupt 16-byte frame a real RM emits (fullLength 0) is fatal as soon as its length is known.
        EmbeddedChannel n1 = channel(new TrackingAllocator());
        assertEquals(List.of(), feed(n1, Arrays.copyOf(vectors.frame("N1"), 6)));
        assertEquals(CodecException.Reason.FRAME_TOO_SHORT,
                ((CodecException) feed(n1, Arrays.copyOfRange(vectors.frame("N1"), 6, 7))).reason());
        n1.finishAndReleaseAll();
    }

    @Test
    void decodingAHugeDeclaredLengthAllocatesLittle() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        byte[] v8 = vectors.frame("V8");
        List<byte[]> inputs = new ArrayList<>();
        for (int declared : new int[] {Integer.MAX_VALUE, 1 << 30, FrameCodec.DEFAULT_MAX_FRAME_LENGTH}) {
            byte[] b = v8.clone();
            ByteBuffer.wrap(b).putInt(3, declared);
            inputs.add(b);
        }
        // a str32 claiming 2 GiB inside an otherwise valid frame
        RpcFrame lie = RpcFrame.request(1, RpcFrame.CODEC_SEATA,
                new io.tessera.codec.message.BranchRegisterRequest("x", io.tessera.codec.message.BranchType.AT, "r",
                        "k", null));
        byte[] lieBytes = codec.encode(lie);
        ByteBuffer.wrap(lieBytes).putInt(lieBytes.length - 9, Integer.MAX_VALUE);
        inputs.add(lieBytes);
        for (byte[] input : inputs) {
            long before = threads.getCurrentThreadAllocatedBytes();
            assertThrows(CodecException.class, () -> codec.decode(input));
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(allocated < 256 * 1024, "allocated " + allocated);
        }
        assertNull(Map.of().get("unused"));
    }
}
