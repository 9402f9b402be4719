package io.tessera.compat.fuzz;

import java.util.Arrays;

/** A growable big-endian byte buffer: what the generators write frames and requests into. */
final class Wire {
    private byte[] buf = new byte[64];
    private int size;

    Wire u8(int v) {
        ensure(1);
        buf[size++] = (byte) v;
        return this;
    }

    Wire i16(int v) {
        return u8(v >>> 8).u8(v);
    }

    Wire i32(int v) {
        return i16(v >>> 16).i16(v);
    }

    Wire i64(long v) {
        return i32((int) (v >>> 32)).i32((int) v);
    }

    Wire bytes(byte[] b) {
        return bytes(b, 0, b.length);
    }

    Wire bytes(byte[] b, int from, int len) {
        ensure(len);
        System.arraycopy(b, from, buf, size, len);
        size += len;
        return this;
    }

    Wire ascii(String s) {
        return bytes(s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    int size() {
        return size;
    }

    /** Overwrites 4 bytes at {@code at} (a length field written before its content was known). */
    void setI32(int at, int v) {
        buf[at] = (byte) (v >>> 24);
        buf[at + 1] = (byte) (v >>> 16);
        buf[at + 2] = (byte) (v >>> 8);
        buf[at + 3] = (byte) v;
    }

    void setI16(int at, int v) {
        buf[at] = (byte) (v >>> 8);
        buf[at + 1] = (byte) v;
    }

    byte[] toBytes() {
        return Arrays.copyOf(buf, size);
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
