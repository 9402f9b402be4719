package io.tessera.coordinator.backup;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;

/** Entry names of the archive and the small helpers both sides share. */
final class ArchiveLayout {
    static final String MANIFEST = "tessera-backup.json";
    static final String MANIFEST_SHA = "tessera-backup.json.sha256";
    static final String SNAPSHOT_PREFIX = "snapshot/";
    /** The state machine's part of a jraft snapshot (GroupStateMachine.SNAPSHOT_SUBDIR). */
    static final String STATE_SUBDIR = "state";

    private ArchiveLayout() {
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    /** The coordinator jar's Maven version (present in packaged jars), else "development build". */
    static String tesseraVersion() {
        try (InputStream in = ArchiveLayout.class.getResourceAsStream(
                "/META-INF/maven/io.tessera/tessera-coordinator/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
                return p.getProperty("version", "unknown");
            }
        } catch (java.io.IOException e) {
            // fall through: the version is informational
        }
        return "development build";
    }
}
