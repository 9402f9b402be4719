package io.tessera.coordinator.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.raft.tx.TxStateMachine;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole-archive checksum: every single byte of a written archive matters to {@code verify}, also
 * the many zip bytes java.util.zip.ZipFile never looks at; archives of the first format (no checksum)
 * are still read.
 */
@Timeout(120)
class ArchiveChecksumTest {
    @TempDir
    Path tmp;
    Path archive;

    /** A real (empty) state checkpoint plus a jraft meta describing it, archived by the real writer. */
    @BeforeEach
    void archiveOfASmallSnapshot() throws IOException {
        Path snapshot = tmp.resolve("snapshot");
        TxStateMachine sm = new TxStateMachine(tmp.resolve("store"));
        try {
            sm.open();
            sm.saveSnapshot(snapshot.resolve(ArchiveLayout.STATE_SUBDIR));
        } finally {
            sm.close();
        }
        JraftSnapshots.writeMeta(snapshot, 7, 2, List.of("127.0.0.1:8101"));
        archive = tmp.resolve("backup.zip");
        new ArchiveWriter(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC))
                .write(snapshot, "default", "test", tmp.resolve("scratch"), archive);
    }

    @Test
    void anIntactArchiveVerifiesAndEndsWithItsChecksum() throws IOException {
        BackupManifest m = new ArchiveReader(archive).verify();
        assertEquals(BackupManifest.FORMAT, m.format());
        assertEquals(7, m.lastIncludedIndex());
        byte[] bytes = Files.readAllBytes(archive);
        String tail = new String(bytes, bytes.length - ArchiveTrailer.LENGTH, ArchiveTrailer.LENGTH,
                StandardCharsets.US_ASCII);
        MessageDigest md = ArchiveLayout.sha256();
        md.update(bytes, 0, bytes.length - 64);
        assertEquals(ArchiveTrailer.PREFIX + HexFormat.of().formatHex(md.digest()), tail);
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            assertEquals(tail, zip.getComment(), "the checksum is the zip comment, so zip tools still read the file");
        }
    }

    /**
     * Flips each byte in turn (a different bit per position) and puts it back: local headers, entry
     * data, data descriptors, central directory, end record and trailer are all covered.
     */
    @Test
    void everySingleByteFlipIsRefused() throws IOException {
        long size = Files.size(archive);
        List<Long> accepted = new ArrayList<>();
        try (RandomAccessFile f = new RandomAccessFile(archive.toFile(), "rw")) {
            for (long at = 0; at < size; at++) {
                f.seek(at);
                int original = f.read();
                f.seek(at);
                f.write(original ^ (1 << (at % 8)));
                try {
                    new ArchiveReader(archive).verify();
                    accepted.add(at);
                } catch (BackupException e) {
                    assertTrue(e.getMessage().startsWith("backup archive " + archive + " "), e.getMessage());
                }
                f.seek(at);
                f.write(original);
            }
        }
        assertEquals(List.of(), accepted, "positions whose flipped byte passed verify, of " + size);
    }

    @Test
    void extractRefusesAFlipThatZipFileIgnoresAndWritesNothing() throws IOException {
        BackupManifest m = new ArchiveReader(archive).verify();
        flip(10); // the first local header's modification time
        Path out = tmp.resolve("extracted");
        BackupException e = assertThrows(BackupException.class, () -> new ArchiveReader(archive).extract(m, out));
        assertTrue(e.getMessage().contains("is corrupt: archive SHA-256"), e.getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void aCurrentFormatArchiveWithoutItsTrailerIsRefused() throws IOException {
        Path stripped = tmp.resolve("stripped.zip");
        rezip(stripped, json -> json);
        BackupException e = assertThrows(BackupException.class, () -> new ArchiveReader(stripped).verify());
        assertEquals("backup archive " + stripped + " is corrupt or truncated: a " + BackupManifest.FORMAT
                + " archive ends with its checksum trailer (tessera-sha256:<SHA-256>), this one does not",
                e.getMessage());
    }

    @Test
    void truncationIsStillReportedAsSuch() throws IOException {
        byte[] bytes = Files.readAllBytes(archive);
        Files.write(archive, Arrays.copyOf(bytes, bytes.length - 100));
        BackupException e = assertThrows(BackupException.class, () -> new ArchiveReader(archive).verify());
        assertTrue(e.getMessage().contains("is not a zip archive or is truncated"), e.getMessage());
        // Cut inside the trailer (the zip comment): the end record is still there.
        for (int cut : new int[] {1, ArchiveTrailer.LENGTH}) {
            Files.write(archive, Arrays.copyOf(bytes, bytes.length - cut));
            e = assertThrows(BackupException.class, () -> new ArchiveReader(archive).verify());
            assertTrue(e.getMessage().contains("is not a zip archive or is truncated"), cut + ": " + e.getMessage());
        }
    }

    /**
     * A tessera-backup/1 archive as the first writer made it: the same entries in the same order, no
     * zip comment, the manifest saying /1 (and its checksum entry recomputed for that manifest).
     */
    @Test
    void aFormatOneArchiveWithoutTrailerStillVerifies() throws IOException {
        Path v1 = tmp.resolve("v1.zip");
        rezip(v1, json -> {
            BackupManifest m = BackupManifest.fromJson(json);
            return new BackupManifest(BackupManifest.FORMAT_V1, m.tesseraVersion(), m.createdAt(), m.group(),
                    m.source(), m.lastIncludedIndex(), m.lastIncludedTerm(), m.members(), m.stateDigest(),
                    m.files()).toJson();
        });
        BackupManifest m = new ArchiveReader(v1).verify();
        assertEquals(BackupManifest.FORMAT_V1, m.format());
        Path out = tmp.resolve("extracted");
        new ArchiveReader(v1).extract(m, out);
        assertTrue(Files.isRegularFile(out.resolve(JraftSnapshots.META_FILE)));
    }

    private void flip(long at) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(archive.toFile(), "rw")) {
            f.seek(at);
            int original = f.read();
            f.seek(at);
            f.write(original ^ 0x40);
        }
    }

    /** Copies the archive's entries in order into a zip without comment, the manifest through {@code edit}. */
    private void rezip(Path out, UnaryOperator<byte[]> edit) throws IOException {
        try (ZipFile in = new ZipFile(archive.toFile());
                ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            byte[] json = edit.apply(in.getInputStream(in.getEntry(ArchiveLayout.MANIFEST)).readAllBytes());
            for (Enumeration<? extends ZipEntry> e = in.entries(); e.hasMoreElements();) {
                String name = e.nextElement().getName();
                byte[] bytes = switch (name) {
                    case ArchiveLayout.MANIFEST -> json;
                    case ArchiveLayout.MANIFEST_SHA ->
                        (ArchiveLayout.hex(json) + "\n").getBytes(StandardCharsets.US_ASCII);
                    default -> in.getInputStream(in.getEntry(name)).readAllBytes();
                };
                zip.putNextEntry(new ZipEntry(name));
                zip.write(bytes);
                zip.closeEntry();
            }
        }
    }
}
