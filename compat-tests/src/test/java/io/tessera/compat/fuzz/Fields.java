package io.tessera.compat.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Field values for structure-aware inputs: mostly plausible, sometimes hostile (huge, lying lengths,
 * negative lengths, invalid UTF-8, control characters and log-forging text). One instance per input.
 */
final class Fields {
    private static final String[] PLAUSIBLE = {"", "fuzz-app", "fuzz-tx-group", "default", "1.5.0", "2.5.0",
        "127.0.0.1:8091:1", "jdbc:mysql://db/orders", "tcc-resource", "orders:1,2,3", "{\"a\":1}",
        "127.0.0.1:8091:9223372036854775807"};
    private static final String[] HOSTILE = {"\n2026-12-07 INFO forged log line xid=1", "\u001b[31mred\u001b[0m",
        "%s%s%n%x", "${jndi:ldap://x/a}", "../../etc/passwd", "\u0000\u0000", "' OR 1=1 --", "\ud800",
        "🙂🙂🙂", "a".repeat(300), "ak=fuzz-ak\ndigest=x\ntimestamp=0\nauthVersion=V4\n"};

    private final SplittableRandom rng;
    /** Whether this input may contain huge values at all (rare: keeps the run fast and bounded). */
    private final boolean hugeAllowed;

    Fields(SplittableRandom rng) {
        this.rng = rng;
        this.hugeAllowed = rng.nextInt(50) == 0;
    }

    SplittableRandom rng() {
        return rng;
    }

    boolean chance(int percent) {
        return rng.nextInt(100) < percent;
    }

    <T> T pick(T[] values) {
        return values[rng.nextInt(values.length)];
    }

    byte[] text() {
        int r = rng.nextInt(100);
        if (r < 60) {
            return pick(PLAUSIBLE).getBytes(StandardCharsets.UTF_8);
        }
        if (r < 75) {
            return pick(HOSTILE).getBytes(StandardCharsets.UTF_8);
        }
        if (r < 85) {
            byte[] b = new byte[rng.nextInt(64)];
            rng.nextBytes(b); // mostly invalid UTF-8
            return b;
        }
        if (r < 95 || !hugeAllowed) {
            return ("fz-" + Long.toHexString(rng.nextLong())).getBytes(StandardCharsets.UTF_8);
        }
        byte[] b = new byte[1_000 + rng.nextInt(32_000)];
        java.util.Arrays.fill(b, (byte) ('a' + rng.nextInt(26)));
        return b;
    }

    /** str16: i16 length ‖ bytes; sometimes the length lies (longer, shorter, negative). */
    void str16(Wire w, byte[] value) {
        byte[] v = value.length > Short.MAX_VALUE ? java.util.Arrays.copyOf(value, Short.MAX_VALUE) : value;
        int declared = v.length;
        if (chance(4)) {
            declared = switch (rng.nextInt(4)) {
                case 0 -> v.length + 1 + rng.nextInt(16);
                case 1 -> Math.max(0, v.length - 1 - rng.nextInt(4));
                case 2 -> 0x8000 + rng.nextInt(0x8000); // negative as a signed short
                default -> 0xFFFF;
            };
        }
        w.i16(declared).bytes(v);
    }

    void str16(Wire w) {
        str16(w, text());
    }

    /** str32: i32 length ‖ bytes; sometimes negative, huge or lying. */
    void str32(Wire w, byte[] value) {
        int declared = value.length;
        if (chance(4)) {
            declared = switch (rng.nextInt(5)) {
                case 0 -> value.length + 1 + rng.nextInt(1000);
                case 1 -> -1 - rng.nextInt(1000);
                case 2 -> Integer.MAX_VALUE;
                case 3 -> Integer.MIN_VALUE;
                default -> Math.max(0, value.length - 1);
            };
        }
        w.i32(declared).bytes(value);
        if (hugeAllowed && chance(10)) {
            // a str32 of up to 1 MiB (a lock key the size of a table)
            byte[] big = new byte[rng.nextInt(1 << 20)];
            java.util.Arrays.fill(big, (byte) ',');
            w.bytes(big);
        }
    }

    void str32(Wire w) {
        str32(w, text());
    }

    /** A one-byte enum: a valid code below {@code validCount} mostly, any byte sometimes. */
    void enumByte(Wire w, int validCount) {
        w.u8(chance(90) ? rng.nextInt(validCount) : rng.nextInt(256));
    }

    int int32() {
        return switch (rng.nextInt(8)) {
            case 0 -> 0;
            case 1 -> -1;
            case 2 -> Integer.MIN_VALUE;
            case 3 -> Integer.MAX_VALUE;
            default -> rng.nextInt(120_000);
        };
    }

    long int64() {
        return switch (rng.nextInt(6)) {
            case 0 -> 0;
            case 1 -> -1;
            case 2 -> Long.MAX_VALUE;
            case 3 -> Long.MIN_VALUE;
            default -> rng.nextLong();
        };
    }

    byte[] randomBytes(int max) {
        byte[] b = new byte[rng.nextInt(max + 1)];
        rng.nextBytes(b);
        return b;
    }
}
