package io.tessera.codec.seata;

import java.nio.charset.StandardCharsets;

/**
 * Size limits of the SEATA codec that callers must respect before building a message: a str16
 * field (xid, resourceId, msg, ...) holds at most {@link #MAX_STR16_BYTES} UTF-8 bytes, otherwise the
 * codec refuses the message with UNENCODABLE.
 */
public final class SeataLimits {
    public static final int MAX_STR16_BYTES = Short.MAX_VALUE;

    private SeataLimits() {
    }

    /**
     * Cuts {@code s} to at most {@link #MAX_STR16_BYTES} UTF-8 bytes at a code-point boundary — for
     * diagnostic text such as a Failed response's msg, where a shortened message beats a response
     * that cannot be sent.
     */
    public static String fitStr16(String s) {
        if (s == null || s.length() * 3L <= MAX_STR16_BYTES) {
            return s;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= MAX_STR16_BYTES) {
            return s;
        }
        int bytes = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + len > MAX_STR16_BYTES) {
                break;
            }
            bytes += len;
            i += Character.charCount(cp);
        }
        return s.substring(0, i);
    }
}
