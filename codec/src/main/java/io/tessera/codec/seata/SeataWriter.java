package io.tessera.codec.seata;

import io.tessera.codec.CodecException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Big-endian append buffer for SEATA bodies. Refuses values the wire cannot carry (spec §6.1: a
 * str16 length is a signed 16-bit value) instead of silently writing a corrupt length.
 */
final class SeataWriter {
    private byte[] buf;
    private int size;

    SeataWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    int size() {
        return size;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void ensure(int more) {
        long need = (long) size + more;
        if (need > Integer.MAX_VALUE - 16) {
            throw new CodecException(CodecException.Reason.UNENCODABLE, "body larger than 2 GiB");
        }
        if (need > buf.length) {
            buf = Arrays.copyOf(buf, (int) Math.max(need, Math.min(Integer.MAX_VALUE - 16L, buf.length * 2L)));
        }
    }

    void u8(int v) {
        ensure(1);
        buf[size++] = (byte) v;
    }

    void i16(int v) {
        ensure(2);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
    }

    void i32(int v) {
        ensure(4);
        buf[size++] = (byte) (v >>> 24);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
    }

    void setI32(int at, int v) {
        buf[at] = (byte) (v >>> 24);
        buf[at + 1] = (byte) (v >>> 16);
        buf[at + 2] = (byte) (v >>> 8);
        buf[at + 3] = (byte) v;
    }

    void i64(long v) {
        i32((int) (v >>> 32));
        i32((int) v);
    }

    void bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
    }

    /** null and "" are both written as length 0 (spec §6.1). */
    void str16(String s, String field) {
        if (s == null || s.isEmpty()) {
            i16(0);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > SeataLimits.MAX_STR16_BYTES) {
            throw new CodecException(CodecException.Reason.UNENCODABLE,
                    field + " is " + b.length + " UTF-8 bytes; a str16 holds at most " + Short.MAX_VALUE);
        }
        i16(b.length);
        bytes(b);
    }

    void str32(String s) {
        if (s == null || s.isEmpty()) {
            i32(0);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        i32(b.length);
        bytes(b);
    }
}
