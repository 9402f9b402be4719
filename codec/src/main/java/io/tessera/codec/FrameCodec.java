package io.tessera.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tessera.codec.compress.Compressors;
import io.tessera.codec.message.HeartbeatMessage;
import io.tessera.codec.message.Message;
import io.tessera.codec.protobuf.ProtoNaming;
import io.tessera.codec.protobuf.ProtobufBodyCodec;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Protocol-v1 frames (spec §2): a 16-byte header, an optional head-map, then
 * {@code compress(serialize(body))}. Stateless and thread-safe. Every malformed input ends in a
 * {@link CodecException}; nothing is allocated from a declared length before the bytes are known to
 * exist and the length is known to be within {@link #maxFrameLength()}.
 */
public final class FrameCodec {
    public static final int DEFAULT_MAX_FRAME_LENGTH = 8 * 1024 * 1024;
    public static final int HEADER_LENGTH = 16;
    /** magic(2) + version(1) + fullLength(4): enough to validate a frame before buffering it. */
    public static final int PREFIX_LENGTH = 7;
    public static final byte MAGIC_0 = (byte) 0xDA;
    public static final byte MAGIC_1 = (byte) 0xDA;
    public static final byte VERSION = 1;

    private final int maxFrameLength;
    private final BodyCodec[] codecsById = new BodyCodec[256];
    private final Compressors compressors;

    public FrameCodec(int maxFrameLength, List<BodyCodec> bodyCodecs) {
        this(maxFrameLength, bodyCodecs, new Compressors());
    }

    public FrameCodec(int maxFrameLength, List<BodyCodec> bodyCodecs, Compressors compressors) {
        if (maxFrameLength < HEADER_LENGTH) {
            throw new IllegalArgumentException("maxFrameLength " + maxFrameLength + " < " + HEADER_LENGTH);
        }
        this.maxFrameLength = maxFrameLength;
        this.compressors = compressors;
        for (BodyCodec c : bodyCodecs) {
            codecsById[c.codecId() & 0xFF] = c;
        }
    }

    public int maxFrameLength() {
        return maxFrameLength;
    }

    public byte[] encode(RpcFrame frame) {
        ByteBuf out = Unpooled.buffer(64);
        encode(frame, out);
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        return bytes;
    }

    public void encode(RpcFrame frame, ByteBuf out) {
        byte[] head = HeadMapCodec.encode(frame.headMap());
        byte[] body = frame.isHeartbeat() ? new byte[0] : encodeBody(frame);
        int headLength = HEADER_LENGTH + head.length;
        long fullLength = (long) headLength + body.length;
        if (fullLength > maxFrameLength) {
            throw new CodecException(CodecException.Reason.UNENCODABLE,
                    "frame of " + fullLength + " bytes exceeds the maximum of " + maxFrameLength);
        }
        out.ensureWritable((int) fullLength);
        out.writeByte(MAGIC_0).writeByte(MAGIC_1).writeByte(VERSION);
        out.writeInt((int) fullLength);
        out.writeShort(headLength);
        out.writeByte(frame.messageType()).writeByte(frame.codec()).writeByte(frame.compressor());
        out.writeInt(frame.requestId());
        out.writeBytes(head);
        out.writeBytes(body);
    }

    private byte[] encodeBody(RpcFrame frame) {
        if (frame.body() == null) {
            throw new CodecException(CodecException.Reason.UNENCODABLE, "frame without body");
        }
        BodyCodec bodyCodec = bodyCodec(frame.codec());
        var compressor = compressors.get(frame.compressor());
        try {
            byte[] plain = bodyCodec instanceof ProtobufBodyCodec protobuf
                    ? protobuf.encode(frame.body(), frame.protoNaming())
                    : bodyCodec.encode(frame.body());
            return compressor.compress(plain);
        } catch (CodecException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CodecException(CodecException.Reason.UNENCODABLE, "cannot encode " + frame.body() + ": " + e, e);
        }
    }

    public RpcFrame decode(byte[] frame) {
        return decodeFrame(Unpooled.wrappedBuffer(frame));
    }

    /**
     * Checks the first bytes of a frame — magic, version, fullLength — as far as they are present.
     * Used by the stream decoder before it buffers a body, so garbage and oversize lengths are
     * refused without waiting for (or allocating) the announced bytes.
     *
     * @return fullLength if at least {@link #PREFIX_LENGTH} bytes are readable, otherwise -1
     */
    int checkPrefix(ByteBuf in) {
        int at = in.readerIndex();
        int readable = in.readableBytes();
        if (readable >= 1 && in.getByte(at) != MAGIC_0 || readable >= 2 && in.getByte(at + 1) != MAGIC_1) {
            throw new CodecException(CodecException.Reason.BAD_MAGIC, "frame does not start with 0xDADA");
        }
        if (readable >= 3) {
            byte version = in.getByte(at + 2);
            if (version == 0) {
                throw new CodecException(CodecException.Reason.UNSUPPORTED_VERSION,
                        "protocol v0 (Seata clients <= 0.7.0) is not supported; only v1 is");
            }
            if (version != VERSION) {
                throw new CodecException(CodecException.Reason.UNSUPPORTED_VERSION,
                        "protocol version " + (version & 0xFF) + " is not supported; only v1 is");
            }
        }
        if (readable < PREFIX_LENGTH) {
            return -1;
        }
        int fullLength = in.getInt(at + 3);
        if (fullLength < HEADER_LENGTH) {
            throw new CodecException(CodecException.Reason.FRAME_TOO_SHORT,
                    "fullLength " + fullLength + " is below the 16-byte header");
        }
        if (fullLength > maxFrameLength) {
            throw new CodecException(CodecException.Reason.FRAME_TOO_LONG,
                    "fullLength " + fullLength + " exceeds the maximum of " + maxFrameLength);
        }
        return fullLength;
    }

    /** Decodes exactly one whole frame: the readable bytes must be the frame, no more, no less. */
    public RpcFrame decodeFrame(ByteBuf in) {
        int fullLength = checkPrefix(in);
        int readable = in.readableBytes();
        if (fullLength < 0 || readable < fullLength) {
            throw new CodecException(CodecException.Reason.FRAME_TOO_SHORT,
                    "truncated frame: " + readable + " bytes" + (fullLength < 0 ? "" : " of " + fullLength));
        }
        if (readable > fullLength) {
            throw new CodecException(CodecException.Reason.FRAME_TOO_LONG,
                    (readable - fullLength) + " bytes beyond the declared fullLength " + fullLength);
        }
        int start = in.readerIndex();
        int headLength = in.getShort(start + 7);
        if (headLength < HEADER_LENGTH || headLength > fullLength) {
            throw new CodecException(CodecException.Reason.BAD_HEAD_LENGTH,
                    "headLength " + headLength + " outside [16, " + fullLength + "]");
        }
        byte messageType = in.getByte(start + 9);
        byte codec = in.getByte(start + 10);
        byte compressor = in.getByte(start + 11);
        int requestId = in.getInt(start + 12);
        in.readerIndex(start + HEADER_LENGTH);
        Map<String, String> headMap = HeadMapCodec.decode(in, headLength - HEADER_LENGTH);
        int bodyLength = fullLength - headLength;
        Message body;
        ProtoNaming naming = null;
        if (messageType == RpcFrame.TYPE_HEARTBEAT_REQUEST || messageType == RpcFrame.TYPE_HEARTBEAT_RESPONSE) {
            // Seata never reads a heartbeat body (spec §2.2); skip whatever is there.
            in.skipBytes(bodyLength);
            body = messageType == RpcFrame.TYPE_HEARTBEAT_REQUEST ? HeartbeatMessage.PING : HeartbeatMessage.PONG;
        } else {
            BodyCodec bodyCodec = codecsById[codec & 0xFF];
            if (bodyCodec == null) {
                byte[] bodyStart = new byte[Math.min(bodyLength, ForeignFrame.BODY_START_BYTES)];
                in.readBytes(bodyStart);
                throw new CodecException("unsupported codec byte " + codec,
                        new ForeignFrame(messageType, codec, compressor, requestId, bodyStart));
            }
            if (bodyLength == 0) {
                throw new CodecException(CodecException.Reason.MALFORMED_BODY,
                        "message type " + messageType + " frame without a body");
            }
            byte[] raw = new byte[bodyLength];
            in.readBytes(raw);
            byte[] plain = decompress(compressor, raw);
            if (bodyCodec instanceof ProtobufBodyCodec protobuf) {
                ProtobufBodyCodec.Named named = decodeBody(() -> protobuf.decodeNamed(plain));
                body = named.message();
                naming = named.naming();
            } else {
                body = decodeBody(() -> bodyCodec.decode(plain));
            }
        }
        return new RpcFrame(messageType, codec, compressor, requestId, headMap, body, naming);
    }

    private byte[] decompress(byte compressor, byte[] raw) {
        var c = compressors.get(compressor);
        try {
            return c.decompress(raw, maxFrameLength);
        } catch (CodecException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CodecException(CodecException.Reason.DECOMPRESSION_FAILED, "corrupt compressed body: " + e, e);
        }
    }

    private static <T> T decodeBody(Supplier<T> decoder) {
        try {
            T m = decoder.get();
            if (m == null) {
                throw new CodecException(CodecException.Reason.MALFORMED_BODY, "body decoded to nothing");
            }
            return m;
        } catch (CodecException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CodecException(CodecException.Reason.MALFORMED_BODY, "undecodable body: " + e, e);
        }
    }

    private BodyCodec bodyCodec(byte codec) {
        BodyCodec c = codecsById[codec & 0xFF];
        if (c == null) {
            throw new CodecException(CodecException.Reason.UNKNOWN_CODEC, "unsupported codec byte " + codec);
        }
        return c;
    }
}
