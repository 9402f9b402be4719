package io.tessera.coordinator.backup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The whole-archive checksum of a {@code tessera-backup/2} archive. {@link java.util.zip.ZipFile} reads
 * only part of a zip's bytes (it ignores local header versions, flags, times, names and sizes, data
 * descriptors, central-directory times and attributes), so per-entry CRCs and our per-file SHA-256s
 * cannot notice a corrupt byte there. The writer therefore ends the zip with the comment
 * {@code tessera-sha256:<64 hex>}: the SHA-256 of every byte of the file before those 64 hex digits
 * (the zip comment is the last thing in a zip, so they are the file's last 64 bytes).
 */
final class ArchiveTrailer {
    static final String PREFIX = "tessera-sha256:";
    private static final int HEX_LENGTH = 64;
    static final int LENGTH = PREFIX.length() + HEX_LENGTH;

    /** What the file's trailer says and what its bytes hash to now. */
    record Sums(String stored, String actual) {
        boolean match() {
            return stored.equals(actual);
        }
    }

    private ArchiveTrailer() {
    }

    /** The zip comment the writer sets; {@link #seal} replaces the zeros once the zip is closed. */
    static String placeholder() {
        return PREFIX + "0".repeat(HEX_LENGTH);
    }

    /** Overwrites the placeholder at the end of the closed zip {@code file} with the file's checksum. */
    static void seal(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            if (size < LENGTH || !placeholder().equals(ascii(ch, size - LENGTH, LENGTH))) {
                throw new IllegalStateException(file + " does not end with the checksum placeholder");
            }
            ByteBuffer hex = ByteBuffer.wrap(sha256(ch, size - HEX_LENGTH).getBytes(StandardCharsets.US_ASCII));
            for (long at = size - HEX_LENGTH; hex.hasRemaining();) {
                at += ch.write(hex, at);
            }
        }
    }

    /** Empty when the file does not end with a trailer (a tessera-backup/1 archive, or a damaged one). */
    static Optional<Sums> read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < LENGTH || !PREFIX.equals(ascii(ch, size - LENGTH, PREFIX.length()))) {
                return Optional.empty();
            }
            // Anything but lower-case hex is shown as '?': the stored value goes into a one-line message.
            String stored = ascii(ch, size - HEX_LENGTH, HEX_LENGTH).replaceAll("[^0-9a-f]", "?");
            return Optional.of(new Sums(stored, sha256(ch, size - HEX_LENGTH)));
        }
    }

    private static String sha256(FileChannel ch, long length) throws IOException {
        MessageDigest md = ArchiveLayout.sha256();
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        for (long at = 0; at < length;) {
            buf.clear().limit((int) Math.min(buf.capacity(), length - at));
            int n = ch.read(buf, at);
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + at);
            }
            at += n;
            md.update(buf.flip());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String ascii(FileChannel ch, long at, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            if (ch.read(buf, at + buf.position()) < 0) {
                throw new IOException("unexpected end of file at byte " + (at + buf.position()));
            }
        }
        return new String(buf.array(), StandardCharsets.ISO_8859_1);
    }
}
