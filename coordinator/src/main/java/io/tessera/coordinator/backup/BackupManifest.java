package io.tessera.coordinator.backup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;

/**
 * What a backup archive holds. {@code files} lists every archive entry except the manifest itself and
 * its checksum, with size and SHA-256; paths are relative to the jraft snapshot directory.
 *
 * @param members Raft endpoints ("host:port") of the configuration stored in the snapshot meta
 * @param stateDigest {@code TxView.digest()} of the state in the snapshot (every table but meta)
 */
public record BackupManifest(
        String format,
        String tesseraVersion,
        String createdAt,
        String group,
        String source,
        long lastIncludedIndex,
        long lastIncludedTerm,
        List<String> members,
        String stateDigest,
        List<FileEntry> files) {

    /** What the writer produces: the archive ends with a whole-file checksum ({@link ArchiveTrailer}). */
    public static final String FORMAT = "tessera-backup/2";
    /** Archives written before the whole-file checksum; still read, checked entry by entry only. */
    public static final String FORMAT_V1 = "tessera-backup/1";

    public record FileEntry(String path, long size, String sha256) {
    }

    public BackupManifest {
        members = List.copyOf(members);
        files = List.copyOf(files);
    }

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public byte[] toJson() {
        try {
            return MAPPER.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("manifest not serializable", e);
        }
    }

    static BackupManifest fromJson(byte[] json) {
        try {
            return MAPPER.readValue(json, BackupManifest.class);
        } catch (java.io.IOException e) {
            throw new BackupException("backup manifest is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Human-readable summary for {@code verify} and {@code restore --dry-run}. */
    public String describe() {
        long bytes = files.stream().mapToLong(FileEntry::size).sum();
        return "format            " + format + "\n"
                + "tessera version   " + tesseraVersion + "\n"
                + "created at        " + createdAt + "\n"
                + "group             " + group + "\n"
                + "source            " + source + "\n"
                + "last index/term   " + lastIncludedIndex + " / " + lastIncludedTerm + "\n"
                + "members           " + String.join(", ", members) + "\n"
                + "state digest      " + stateDigest + "\n"
                + "files             " + files.size() + " (" + bytes + " bytes)\n";
    }
}
