package io.tessera.codec.seata;

import io.tessera.codec.CodecException;
import java.nio.charset.StandardCharsets;

/**
 * Strict big-endian cursor over a SEATA body. Every length is checked against the bytes actually
 * present before anything is allocated, so a forged length can never cause a large allocation.
 */
final class SeataReader {
    private final byte[] buf;
    private int pos;
    private final int limit;

    SeataReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    SeataReader(byte[] buf, int offset, int limit) {
        this.buf = buf;
        this.pos = offset;
        this.limit = limit;
    }

    int remaining() {
        return limit - pos;
    }

    int position() {
        return pos;
    }

    private void need(int n, String what) {
        if (n < 0 || limit - pos < n) {
            throw malformed("truncated " + what + ": need " + n + " bytes, have " + (limit - pos));
        }
    }

    static CodecException malformed(String msg) {
        return new CodecException(CodecException.Reason.MALFORMED_BODY, msg);
    }

    int u8(String what) {
        need(1, what);
        return buf[pos++] & 0xFF;
    }

    short i16(String what) {
        need(2, what);
        short v = (short) (((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF));
        pos += 2;
        return v;
    }

    int i32(String what) {
        need(4, what);
        int v = ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16) | ((buf[pos + 2] & 0xFF) << 8)
                | (buf[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    long i64(String what) {
        long hi = i32(what) & 0xFFFFFFFFL;
        long lo = i32(what) & 0xFFFFFFFFL;
        return (hi << 32) | lo;
    }

    /** Length 0 decodes to null, as seata-all does for all but the identify-request strings. */
    String str16(String what) {
        return string(i16(what), what, false);
    }

    /** Length 0 decodes to "" (seata-all's identify-request decoders always build a String). */
    String str16OrEmpty(String what) {
        return string(i16(what), what, true);
    }

    String str32(String what) {
        return string(i32(what), what, false);
    }

    private String string(int len, String what, boolean emptyAsEmpty) {
        if (len < 0) {
            throw malformed("negative length " + len + " for " + what);
        }
        if (len == 0) {
            return emptyAsEmpty ? "" : null;
        }
        need(len, what);
        String s = new String(buf, pos, len, StandardCharsets.UTF_8);
        pos += len;
        return s;
    }

    /** A sub-reader over the next {@code len} bytes; this reader moves past them. */
    SeataReader slice(int len, String what) {
        need(len, what);
        SeataReader r = new SeataReader(buf, pos, pos + len);
        pos += len;
        return r;
    }

    void expectEnd(String what) {
        if (pos != limit) {
            throw malformed((limit - pos) + " trailing bytes after " + what);
        }
    }
}
