package io.tessera.coordinator.backup;

import io.tessera.coordinator.backup.BackupManifest.FileEntry;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Verifies a backup archive completely before anything is written: zip structure (a truncated file
 * has no central directory, so this comes first and names truncation as such), the whole-file
 * checksum ({@link ArchiveTrailer}: the only check that sees every byte, including those ZipFile
 * ignores; required for {@code tessera-backup/2}, absent from {@code /1}), the manifest's own checksum,
 * that the entries are exactly the listed files, and size + SHA-256 of each; then that the jraft meta
 * agrees with the manifest. Every failure is one {@link BackupException} naming the archive and the
 * problem.
 */
public final class ArchiveReader {
    private final Path archive;

    public ArchiveReader(Path archive) {
        this.archive = archive;
    }

    public BackupManifest verify() {
        try (ZipFile zip = open()) {
            boolean sealed = checkTrailer();
            BackupManifest m = manifest(zip);
            requireTrailer(m, sealed);
            Set<String> listed = new HashSet<>();
            for (FileEntry f : m.files()) {
                checkPath(f.path());
                if (!listed.add(ArchiveLayout.SNAPSHOT_PREFIX + f.path())) {
                    throw fail("the manifest lists " + f.path() + " twice");
                }
            }
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();) {
                String name = e.nextElement().getName();
                if (!name.equals(ArchiveLayout.MANIFEST) && !name.equals(ArchiveLayout.MANIFEST_SHA)
                        && !listed.contains(name)) {
                    throw fail("contains " + name + ", which the manifest does not list");
                }
            }
            for (FileEntry f : m.files()) {
                copyVerified(zip, f, OutputStream.nullOutputStream());
            }
            if (m.files().stream().noneMatch(f -> f.path().equals(JraftSnapshots.META_FILE))) {
                throw fail("has no jraft snapshot meta (" + JraftSnapshots.META_FILE + ")");
            }
            return m;
        } catch (IOException e) {
            throw fail("cannot be read: " + e.getMessage());
        }
    }

    /**
     * Writes the snapshot files into {@code snapshotDir} (created), checking every file again while
     * writing: the archive may have changed since {@link #verify()}.
     */
    public void extract(BackupManifest m, Path snapshotDir) throws IOException {
        try (ZipFile zip = open()) {
            requireTrailer(m, checkTrailer());
            for (FileEntry f : m.files()) {
                checkPath(f.path());
                Path target = snapshotDir.resolve(f.path()).normalize();
                if (!target.startsWith(snapshotDir)) {
                    throw fail("names a file outside the snapshot: " + f.path());
                }
                Files.createDirectories(target.getParent());
                try (OutputStream out = Files.newOutputStream(target)) {
                    copyVerified(zip, f, out);
                }
            }
        }
    }

    private ZipFile open() {
        try {
            return new ZipFile(archive.toFile());
        } catch (NoSuchFileException e) {
            throw fail("does not exist");
        } catch (ZipException e) {
            throw fail("is not a zip archive or is truncated (" + e.getMessage() + ")");
        } catch (EOFException e) {
            // The end record is there but its comment (our checksum trailer) runs past the end of the file.
            throw fail("is not a zip archive or is truncated (it ends inside its zip comment)");
        } catch (IOException e) {
            throw fail("cannot be opened: " + e.getMessage());
        }
    }

    /** @return whether the archive ends with a whole-file checksum; throws when it does not match */
    private boolean checkTrailer() throws IOException {
        Optional<ArchiveTrailer.Sums> sums = ArchiveTrailer.read(archive);
        if (sums.isPresent() && !sums.get().match()) {
            throw fail("is corrupt: archive SHA-256 " + sums.get().actual() + " does not match its trailer ("
                    + ArchiveTrailer.PREFIX + sums.get().stored() + ")");
        }
        return sums.isPresent();
    }

    /**
     * A /2 archive without its trailer was cut short or damaged at its very end (a flip inside the
     * trailer's prefix hides the trailer; without this check such an archive would pass unchecked).
     */
    private void requireTrailer(BackupManifest m, boolean sealed) {
        if (!sealed && !BackupManifest.FORMAT_V1.equals(m.format())) {
            throw fail("is corrupt or truncated: a " + m.format() + " archive ends with its checksum trailer ("
                    + ArchiveTrailer.PREFIX + "<SHA-256>), this one does not");
        }
    }

    private BackupManifest manifest(ZipFile zip) throws IOException {
        ZipEntry me = zip.getEntry(ArchiveLayout.MANIFEST);
        ZipEntry se = zip.getEntry(ArchiveLayout.MANIFEST_SHA);
        if (me == null || se == null) {
            throw fail("is not a Tessera backup (no " + ArchiveLayout.MANIFEST + ")");
        }
        byte[] json = readAll(zip, me);
        String expected = new String(readAll(zip, se), StandardCharsets.US_ASCII).trim();
        if (!ArchiveLayout.hex(json).equals(expected)) {
            throw fail("has a corrupt manifest (" + ArchiveLayout.MANIFEST + " does not match its SHA-256)");
        }
        BackupManifest m = BackupManifest.fromJson(json);
        if (!BackupManifest.FORMAT.equals(m.format()) && !BackupManifest.FORMAT_V1.equals(m.format())) {
            throw fail("has format '" + m.format() + "', this tool reads " + BackupManifest.FORMAT + " and "
                    + BackupManifest.FORMAT_V1);
        }
        if (m.files() == null || m.files().isEmpty()) {
            throw fail("lists no files");
        }
        return m;
    }

    private byte[] readAll(ZipFile zip, ZipEntry e) throws IOException {
        try (InputStream in = zip.getInputStream(e)) {
            return in.readAllBytes();
        } catch (ZipException ex) {
            throw fail("entry " + e.getName() + " is corrupt (" + ex.getMessage() + ")");
        }
    }

    private void copyVerified(ZipFile zip, FileEntry f, OutputStream out) throws IOException {
        String name = ArchiveLayout.SNAPSHOT_PREFIX + f.path();
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            throw fail("is missing file " + f.path());
        }
        MessageDigest md = ArchiveLayout.sha256();
        long size;
        try (InputStream in = new DigestInputStream(zip.getInputStream(e), md)) {
            size = in.transferTo(out);
        } catch (ZipException ex) {
            throw fail("file " + f.path() + " is corrupt (" + ex.getMessage() + ")");
        }
        if (size != f.size()) {
            throw fail("file " + f.path() + " has " + size + " bytes, the manifest says " + f.size());
        }
        String actual = HexFormat.of().formatHex(md.digest());
        if (!actual.equals(f.sha256())) {
            throw fail("file " + f.path() + " is corrupt: SHA-256 " + actual + ", the manifest says " + f.sha256());
        }
    }

    private void checkPath(String path) {
        if (path == null || path.isEmpty() || path.startsWith("/") || path.contains("..") || path.contains("\\")) {
            throw fail("names an unsafe path: " + path);
        }
    }

    private BackupException fail(String problem) {
        return new BackupException("backup archive " + archive + " " + problem);
    }
}
