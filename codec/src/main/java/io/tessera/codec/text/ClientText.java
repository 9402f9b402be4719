package io.tessera.codec.text;

/**
 * Client-supplied text made safe for a log line. Every string that reached us from a client
 * (applicationId, resource ids, user names, xids, lock keys, error messages echoed back) goes through
 * {@link #of} before it is logged, so a client cannot forge log lines (newlines, carriage returns, ANSI
 * escapes, Unicode line separators, bidi overrides) or flood the log with one huge field.
 *
 * <p>Escaping is reversible for a reader: a backslash becomes {@code \\}, the common controls
 * {@code \n \r \t}, anything else unsafe {@code \}{@code uXXXX}. Long text is cut to {@link #MAX_CHARS}
 * characters followed by {@code …(+N chars)}, so the reader knows it was cut and by how much.
 */
public final class ClientText {
    /** Longest client text shown in one log field. */
    public static final int MAX_CHARS = 200;

    private ClientText() {
    }

    /** {@link #of(Object, int)} with {@link #MAX_CHARS}. */
    public static String of(Object value) {
        return of(value, MAX_CHARS);
    }

    /**
     * @return {@code null} for null (slf4j prints "null"), otherwise the escaped text, cut after
     *     {@code maxChars} source characters
     */
    public static String of(Object value, int maxChars) {
        if (value == null) {
            return null;
        }
        String s = value.toString();
        int shown = Math.min(s.length(), Math.max(0, maxChars));
        StringBuilder out = null;
        for (int i = 0; i < shown; i++) {
            char c = s.charAt(i);
            if (safe(c)) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(shown + 16).append(s, 0, i);
            }
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(String.format("\\u%04x", (int) c));
            }
        }
        if (out == null && shown == s.length()) {
            return s;
        }
        if (out == null) {
            out = new StringBuilder(shown + 16).append(s, 0, shown);
        }
        if (shown < s.length()) {
            out.append("…(+").append(s.length() - shown).append(" chars)");
        }
        return out.toString();
    }

    private static boolean safe(char c) {
        if (c == '\\') {
            return false;
        }
        if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
            return false; // C0 and C1 controls, DEL: newlines, ANSI escapes (ESC), NEL
        }
        if (c == 0x2028 || c == 0x2029) {
            return false; // line and paragraph separators
        }
        if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f
                || c == 0x061c) {
            return false; // bidi embeddings, overrides, isolates and marks (reorder what a reader sees)
        }
        return true;
    }
}
