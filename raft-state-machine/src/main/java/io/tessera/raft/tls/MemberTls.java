package io.tessera.raft.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a member's TLS identity lives: a PKCS12 keystore holding the member's key with its certificate
 * chain and the trusted cluster CA certificate(s), and the keystore's password. A value only; the raft
 * group loads it ({@link MemberCredentials#load}) when it starts.
 *
 * <p>The layout written by {@code tessera-admin tls init/issue} is {@code <data dir>/tls/member.p12} and
 * {@code <data dir>/tls/member.pass} ({@link #inDataDir(Path)}).
 */
public final class MemberTls {
    public static final String DIR = "tls";
    public static final String KEYSTORE_FILE = "member.p12";
    public static final String PASSWORD_FILE = "member.pass";

    private final Path keystore;
    private final char[] password;

    private MemberTls(Path keystore, char[] password) {
        this.keystore = Objects.requireNonNull(keystore, "keystore");
        this.password = password.clone();
    }

    public static MemberTls of(Path keystore, char[] password) {
        return new MemberTls(keystore, Objects.requireNonNull(password, "password"));
    }

    /** Reads the password from a file (its first line; a trailing line break is not part of it). */
    public static MemberTls withPasswordFile(Path keystore, Path passwordFile) throws IOException {
        return new MemberTls(keystore, readPassword(passwordFile));
    }

    /** {@code <dataDir>/tls/member.p12} with the password in {@code <dataDir>/tls/member.pass}. */
    public static MemberTls inDataDir(Path dataDir) throws IOException {
        Path dir = dataDir.resolve(DIR);
        return withPasswordFile(dir.resolve(KEYSTORE_FILE), dir.resolve(PASSWORD_FILE));
    }

    public Path keystore() {
        return keystore;
    }

    public char[] password() {
        return password.clone();
    }

    static char[] readPassword(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("password file " + file + " does not exist (tessera-admin tls init/issue writes it)");
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.indexOf('\n');
        String line = end < 0 ? text : text.substring(0, end);
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        if (line.isEmpty()) {
            throw new IOException("password file " + file + " is empty");
        }
        return line.toCharArray();
    }

    @Override
    public String toString() {
        // Never the password.
        return "MemberTls[" + keystore + "]";
    }
}
