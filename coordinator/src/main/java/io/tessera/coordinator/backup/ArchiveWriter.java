package io.tessera.coordinator.backup;

import io.tessera.coordinator.backup.BackupManifest.FileEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes one backup archive (zip) from a complete jraft snapshot directory that nobody modifies while
 * we read it (a private hard-linked copy on a live node, or a stopped node's snapshot). Every file is
 * read once: hashed while it is compressed into the archive; the manifest goes last. The closed zip is
 * then read once more to fill in its whole-file checksum ({@link ArchiveTrailer}) before it is moved
 * into place, so a file at {@code out} is always complete and sealed.
 */
public final class ArchiveWriter {
    private final Clock clock;

    public ArchiveWriter(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param scratch a not-yet-existing directory for the digest computation (removed afterwards)
     */
    public BackupManifest write(Path snapshotDir, String group, String source, Path scratch, Path out)
            throws IOException {
        JraftSnapshots.Info info = JraftSnapshots.read(snapshotDir.resolve(JraftSnapshots.META_FILE));
        String digest = StateDigest.of(snapshotDir.resolve(ArchiveLayout.STATE_SUBDIR), scratch);
        List<Path> files;
        try (Stream<Path> s = Files.walk(snapshotDir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        List<FileEntry> entries = new ArrayList<>();
        Path tmp = out.resolveSibling(out.getFileName() + ".part");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
            // RocksDB files are already block-compressed; the fastest level keeps a live backup short.
            zip.setLevel(Deflater.BEST_SPEED);
            zip.setComment(ArchiveTrailer.placeholder());
            for (Path f : files) {
                String rel = snapshotDir.relativize(f).toString().replace('\\', '/');
                zip.putNextEntry(new ZipEntry(ArchiveLayout.SNAPSHOT_PREFIX + rel));
                MessageDigest md = ArchiveLayout.sha256();
                long size;
                try (InputStream in = new DigestInputStream(Files.newInputStream(f), md)) {
                    size = in.transferTo(zip);
                }
                zip.closeEntry();
                entries.add(new FileEntry(rel, size, HexFormat.of().formatHex(md.digest())));
            }
            BackupManifest manifest = new BackupManifest(BackupManifest.FORMAT, ArchiveLayout.tesseraVersion(),
                    clock.instant().toString(), group, source, info.lastIncludedIndex(), info.lastIncludedTerm(),
                    info.peers(), digest, entries);
            byte[] json = manifest.toJson();
            put(zip, ArchiveLayout.MANIFEST, json);
            put(zip, ArchiveLayout.MANIFEST_SHA, (ArchiveLayout.hex(json) + "\n").getBytes(
                    java.nio.charset.StandardCharsets.US_ASCII));
            zip.finish();
            zip.close();
            ArchiveTrailer.seal(tmp);
            Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return manifest;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }
}
