package io.tessera.compat.fuzz;

/**
 * Whether a node that reads {@code payload} must react without waiting for more bytes: every frame in it
 * is complete, or the stream turns invalid (bad magic, version or length) before an incomplete frame.
 * An incomplete frame with a valid prefix is rightly left waiting (until the node's frame timeout).
 */
final class Framing {
    private Framing() {
    }

    static boolean completeOrBroken(byte[] p, int maxFrameLength) {
        int pos = 0;
        while (pos < p.length) {
            int left = p.length - pos;
            if ((p[pos] & 0xFF) != 0xDA || left >= 2 && (p[pos + 1] & 0xFF) != 0xDA || left >= 3 && p[pos + 2] != 1) {
                return true;
            }
            if (left < 7) {
                return false;
            }
            int full = ((p[pos + 3] & 0xFF) << 24) | ((p[pos + 4] & 0xFF) << 16) | ((p[pos + 5] & 0xFF) << 8)
                    | (p[pos + 6] & 0xFF);
            if (full < 16 || full > maxFrameLength) {
                return true;
            }
            if (full > left) {
                return false;
            }
            pos += full;
        }
        return true;
    }
}
