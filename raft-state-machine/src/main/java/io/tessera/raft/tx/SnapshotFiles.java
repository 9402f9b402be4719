package io.tessera.raft.tx;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Snapshot layout, flat in the target dir: the files of a RocksDB checkpoint (CURRENT, MANIFEST-*,
 * OPTIONS-*, *.sst) and {@code tx-manifest}, the list of those files with size and SHA-256, the applied
 * index, and a checksum of the manifest itself. The manifest is written last
 * (temp file + atomic rename), so a snapshot without one is incomplete. Loading verifies every listed
 * file while copying it into a private directory, and only then swaps the live store: a bad snapshot
 * leaves the current state untouched.
 */
final class SnapshotFiles {
    static final String MANIFEST = "tx-manifest";
    private static final String CHECKPOINT_TMP = ".tx-checkpoint.tmp";
    private static final String HEADER = "tessera-tx-snapshot 1";

    private record FileEntry(String path, long size, String sha256) {
    }

    private SnapshotFiles() {
    }

    static void save(TxStore store, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve(CHECKPOINT_TMP);
        TxStore.deleteTree(tmp);
        long applied = store.lastAppliedIndex();
        store.checkpoint(tmp);
        // Flat layout (no sub-directories) so the replication layer can ship it as a plain file list.
        List<Path> files;
        try (var list = Files.list(tmp)) {
            files = list.filter(Files::isRegularFile).sorted().toList();
        }
        StringBuilder m = new StringBuilder(HEADER).append('\n').append("last_applied ").append(applied).append('\n');
        for (Path f : files) {
            String name = f.getFileName().toString();
            Path target = dir.resolve(name);
            Files.move(f, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            m.append("file ").append(sha256(target)).append(' ').append(Files.size(target)).append(' ').append(name).append('\n');
        }
        TxStore.deleteTree(tmp);
        // The manifest checks itself too: a damaged line must not pass as a different, valid list.
        String bodyHash = sha256(m.toString());
        m.append("end ").append(bodyHash).append('\n');
        Path mtmp = dir.resolve(MANIFEST + ".tmp");
        Files.writeString(mtmp, m.toString(), StandardCharsets.UTF_8);
        Files.move(mtmp, dir.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE);
    }

    static void load(TxStore store, Path dir) throws IOException {
        List<FileEntry> entries = readManifest(dir);
        Path incoming = store.root().resolve("db.incoming");
        TxStore.deleteTree(incoming);
        Files.createDirectories(incoming);
        try {
            for (FileEntry e : entries) {
                copyVerified(dir, e, incoming);
            }
        } catch (IOException e) {
            TxStore.deleteTree(incoming);
            throw e;
        }
        store.replaceWith(incoming);
    }

    private static void copyVerified(Path dir, FileEntry e, Path incoming) throws IOException {
        Path src = dir.resolve(e.path());
        if (e.path().contains("/") || e.path().contains("\\") || e.path().startsWith(".")) {
            throw new IOException("snapshot manifest names a file outside the snapshot directory: " + e.path());
        }
        Path dst = incoming.resolve(e.path());
        MessageDigest md = newSha256();
        long size;
        try (InputStream in = new DigestInputStream(Files.newInputStream(src), md);
                OutputStream out = Files.newOutputStream(dst)) {
            size = in.transferTo(out);
        } catch (NoSuchFileException ex) {
            throw new IOException("snapshot file missing: " + src, ex);
        }
        if (size != e.size()) {
            throw new IOException("snapshot file " + src + " has " + size + " bytes, manifest says " + e.size());
        }
        String actual = HexFormat.of().formatHex(md.digest());
        if (!actual.equals(e.sha256())) {
            throw new IOException("snapshot file " + src + " is corrupt: sha256 " + actual + ", manifest says " + e.sha256());
        }
    }

    private static List<FileEntry> readManifest(Path dir) throws IOException {
        Path mf = dir.resolve(MANIFEST);
        List<String> lines;
        try {
            lines = Files.readAllLines(mf, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IOException("snapshot manifest missing: " + mf, e);
        }
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IOException("snapshot manifest " + mf + " has no '" + HEADER + "' header");
        }
        String last = lines.get(lines.size() - 1);
        String body = String.join("\n", lines.subList(0, lines.size() - 1)) + "\n";
        if (!last.startsWith("end ") || !last.substring(4).equals(sha256(body))) {
            throw new IOException("snapshot manifest " + mf + " is corrupt or truncated (checksum mismatch)");
        }
        List<FileEntry> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size() - 1)) {
            if (line.startsWith("last_applied ") || line.isEmpty()) {
                continue;
            }
            String[] parts = line.split(" ", 4);
            if (parts.length != 4 || !parts[0].equals("file") || parts[1].length() != 64) {
                throw new IOException("snapshot manifest " + mf + " has a malformed line: " + line);
            }
            try {
                out.add(new FileEntry(parts[3], Long.parseLong(parts[2]), parts[1]));
            } catch (NumberFormatException e) {
                throw new IOException("snapshot manifest " + mf + " has a malformed size: " + line, e);
            }
        }
        if (out.isEmpty()) {
            throw new IOException("snapshot manifest " + mf + " lists no files");
        }
        return out;
    }

    private static String sha256(Path f) throws IOException {
        MessageDigest md = newSha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(f), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String sha256(String text) {
        return HexFormat.of().formatHex(newSha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
