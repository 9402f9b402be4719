package io.tessera.coordinator.clientauth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The registration signature of Seata clients, authVersion "V4" (seata-all 2.x, checked against
 * 2.2.0 and 2.5.0): the TM signs {@code <txServiceGroup>,<client ip>,<timestamp ms>} with an
 * HMAC-SHA256 whose key is derived from the secret key in steps — secret (prefixed "aliyun_v4") →
 * UTC date of the timestamp (yyyyMMdd) → region "cn-beijing" → product "seata" →
 * "aliyun_v4_request" — and sends the Base64 of the result as {@code digest}. Our own implementation
 * of that scheme, so the coordinator can verify what the unmodified client sends.
 */
public final class SeataSignature {
    public static final String VERSION = "V4";
    private static final String HMAC = "HmacSHA256";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

    private SeataSignature() {
    }

    /** The text the client signs. */
    public static String signedText(String transactionServiceGroup, String ip, long timestampMillis) {
        return transactionServiceGroup + "," + ip + "," + timestampMillis;
    }

    /** Base64 digest of {@link #signedText}, as the client computes it with {@code secretKey}. */
    public static String digest(String transactionServiceGroup, String ip, long timestampMillis, String secretKey) {
        byte[] key = hmac(("aliyun_v4" + secretKey).getBytes(StandardCharsets.UTF_8),
                DAY.format(Instant.ofEpochSecond(Math.floorDiv(timestampMillis, 1000L))));
        key = hmac(key, "cn-beijing");
        key = hmac(key, "seata");
        key = hmac(key, "aliyun_v4_request");
        return Base64.getEncoder().encodeToString(hmac(key, signedText(transactionServiceGroup, ip, timestampMillis)));
    }

    private static byte[] hmac(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
