package io.tessera.coordinator.transport;

/**
 * A client SDK version compared the way Seata's server compares them (spec §10): at most four
 * dot-separated parts, the digits before a '-' in each, value = sum of part * 100^(3 - index).
 * Blank, longer or non-numeric versions are "unknown" and never at least anything.
 */
public record ClientVersion(String text, long value) {
    public static final ClientVersion V2_3_0 = parse("2.3.0");

    public static ClientVersion parse(String text) {
        if (text == null || text.isBlank()) {
            return new ClientVersion(text, -1);
        }
        String[] parts = text.trim().split("\\.");
        if (parts.length > 4) {
            return new ClientVersion(text, -1);
        }
        long value = 0;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            int dash = part.indexOf('-');
            String digits = dash >= 0 ? part.substring(0, dash) : part;
            if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit) || digits.length() > 9) {
                return new ClientVersion(text, -1);
            }
            value += Long.parseLong(digits) * pow100(3 - i);
        }
        return new ClientVersion(text, value);
    }

    private static long pow100(int exponent) {
        long v = 1;
        for (int i = 0; i < exponent; i++) {
            v *= 100;
        }
        return v;
    }

    public boolean known() {
        return value >= 0;
    }

    public boolean atLeast(ClientVersion other) {
        return known() && other.known() && value >= other.value;
    }
}
