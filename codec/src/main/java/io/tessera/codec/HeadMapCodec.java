package io.tessera.codec;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The optional head-map between the fixed header and the body (spec §2.3): entries of
 * {@code i16 len ‖ UTF-8} key and value, -1 = null. Clients never send one on TCP; we read and keep
 * it, and write it only when a frame carries entries.
 */
final class HeadMapCodec {
    private HeadMapCodec() {
    }

    static byte[] encode(Map<String, String> map) {
        if (map.isEmpty()) {
            return new byte[0];
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Map.Entry<String, String> e : map.entrySet()) {
            writeString(out, e.getKey());
            writeString(out, e.getValue());
        }
        if (out.size() > Short.MAX_VALUE - FrameCodec.HEADER_LENGTH) {
            throw new CodecException(CodecException.Reason.UNENCODABLE,
                    "head-map of " + out.size() + " bytes does not fit the 16-bit head length");
        }
        return out.toByteArray();
    }

    private static void writeString(java.io.ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > Short.MAX_VALUE) {
            throw new CodecException(CodecException.Reason.UNENCODABLE, "head-map string too long");
        }
        out.write(b.length >>> 8);
        out.write(b.length);
        out.write(b, 0, b.length);
    }

    /** Reads exactly {@code length} bytes. Entries with a null key or value are dropped (RpcFrame holds no nulls). */
    static Map<String, String> decode(ByteBuf in, int length) {
        if (length == 0) {
            return Map.of();
        }
        int end = in.readerIndex() + length;
        Map<String, String> map = new LinkedHashMap<>();
        while (in.readerIndex() < end) {
            String key = readString(in, end);
            String value = readString(in, end);
            if (key != null && value != null) {
                map.put(key, value);
            }
        }
        return map;
    }

    private static String readString(ByteBuf in, int end) {
        if (end - in.readerIndex() < 2) {
            throw bad("truncated head-map entry");
        }
        short len = in.readShort();
        if (len == -1) {
            return null;
        }
        if (len < 0 || end - in.readerIndex() < len) {
            throw bad("head-map string length " + len + " exceeds the head-map");
        }
        String s = in.toString(in.readerIndex(), len, StandardCharsets.UTF_8);
        in.skipBytes(len);
        return s;
    }

    private static CodecException bad(String msg) {
        return new CodecException(CodecException.Reason.BAD_HEAD_LENGTH, msg);
    }
}
