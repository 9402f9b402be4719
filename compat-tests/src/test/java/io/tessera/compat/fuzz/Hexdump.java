package io.tessera.compat.fuzz;

/** Classic 16-bytes-a-line hexdump of an input, for the replay report (at most {@code limit} bytes). */
final class Hexdump {
    private Hexdump() {
    }

    static String of(byte[] b, int limit) {
        StringBuilder s = new StringBuilder();
        int n = Math.min(b.length, limit);
        for (int off = 0; off < n; off += 16) {
            s.append(String.format("%08x  ", off));
            StringBuilder text = new StringBuilder();
            for (int i = off; i < off + 16; i++) {
                if (i < n) {
                    s.append(String.format("%02x ", b[i] & 0xFF));
                    char c = (char) (b[i] & 0xFF);
                    text.append(c >= 0x20 && c < 0x7F ? c : '.');
                } else {
                    s.append("   ");
                }
            }
            s.append(' ').append(text).append('\n');
        }
        if (b.length > n) {
            s.append("... ").append(b.length - n).append(" more bytes\n");
        }
        return s.toString();
    }
}
