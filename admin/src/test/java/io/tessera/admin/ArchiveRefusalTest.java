package io.tessera.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.codec.message.BranchRegisterRequest;
import io.tessera.codec.message.BranchRegisterResponse;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalBeginRequest;
import io.tessera.codec.message.GlobalBeginResponse;
import io.tessera.codec.message.ResultCode;
import io.tessera.coordinator.backup.JraftSnapshots;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offline backup of a real (stopped) node, then every way an archive or a target can be wrong: each is
 * refused with one line naming the problem, and the target data directories stay exactly as they were.
 */
@Timeout(90)
class ArchiveRefusalTest {
    @TempDir
    static Path shared;
    static Path archive;
    static String sourceDigest;
    static long snapshotIndex;
    static long stateIndex;

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result admin(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TesseraAdmin.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    @BeforeAll
    static void backupOfAStoppedNode() throws Exception {
        TestCluster one = new TestCluster(shared.resolve("source"), 1).start();
        try (TestSeataClient c = new TestSeataClient(one.transactionPort(0)).registerRm("app", "jdbc:a")) {
            one.leaderIndex();
            for (int i = 0; i < 5; i++) {
                GlobalBeginResponse b = c.call(new GlobalBeginRequest(60_000, "t" + i), GlobalBeginResponse.class);
                BranchRegisterResponse r = c.call(new BranchRegisterRequest(b.xid(), BranchType.AT, "jdbc:a",
                        "t:" + i, null), BranchRegisterResponse.class);
                assertEquals(ResultCode.Success, r.resultCode(), r.msg());
            }
            one.node(0).group().snapshotNow().get();
            snapshotIndex = one.node(0).group().lastAppliedIndex();
            // Applied after the last jraft snapshot: an offline backup must still contain it.
            c.call(new GlobalBeginRequest(60_000, "after-snapshot"), GlobalBeginResponse.class);
            sourceDigest = one.node(0).stateMachine().view().digest();
            stateIndex = one.node(0).stateMachine().lastAppliedIndex();
        } finally {
            one.close();
        }
        archive = shared.resolve("offline.zip");
        Result r = admin("backup", "--data-dir", shared.resolve("source/node1").toString(), "--out", archive.toString());
        assertEquals(0, r.code(), r.out() + r.err());
    }

    private Path conf(TestCluster c) throws IOException {
        return c.writeConf(dir.resolve("conf"));
    }

    private static List<String> listing(Path root) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.map(p -> root.relativize(p) + (Files.isRegularFile(p) ? ":" + p.toFile().length() : "")).sorted().toList();
        }
    }

    /**
     * Rewrites the archive entry by entry (valid zip, fresh CRCs, a fresh whole-archive checksum), letting
     * {@code change} alter contents: what is left to refuse it are the manifest and per-file checks.
     */
    private Path rewrite(String name, UnaryOperator<Map<String, byte[]>> change) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();) {
                ZipEntry z = e.nextElement();
                entries.put(z.getName(), zip.getInputStream(z).readAllBytes());
            }
        }
        Path out = dir.resolve(name);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            zip.setComment(TRAILER_PREFIX + "0".repeat(64));
            for (Map.Entry<String, byte[]> e : change.apply(entries).entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        seal(out);
        return out;
    }

    private static final String TRAILER_PREFIX = "tessera-sha256:";

    /**
     * Fills in the checksum trailer as the format (docs/operations.md) defines it, written here rather
     * than borrowed from the writer: the zip comment's last 64 characters are the hex SHA-256 of every
     * byte of the file before them.
     */
    private static void seal(Path zip) throws IOException {
        byte[] bytes = Files.readAllBytes(zip);
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        md.update(bytes, 0, bytes.length - 64);
        byte[] hex = HexFormat.of().formatHex(md.digest()).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(hex, 0, bytes, bytes.length - 64, 64);
        Files.write(zip, bytes);
    }

    private static String sst(Map<String, byte[]> entries) {
        return entries.keySet().stream().filter(k -> k.endsWith(".sst")).findFirst().orElseThrow();
    }

    /** Restore into a fresh 1-node target must refuse with {@code expected} and write nothing. */
    private void refused(Path bad, String expected) throws IOException {
        TestCluster target = new TestCluster(dir.resolve("target"), 1);
        Path conf = conf(target);
        Result v = admin("verify", bad.toString());
        assertEquals(1, v.code(), v.out());
        assertTrue(v.err().contains(expected), "verify: " + v.err());
        assertEquals(1, v.err().lines().count(), "one line: " + v.err());
        Result r = admin("restore", bad.toString(), "--conf", conf.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains(expected), "restore: " + r.err());
        assertFalse(Files.exists(target.dataDir(0)), "nothing written for a refused archive");
    }

    @Test
    void verifyPrintsTheManifestOfAnIntactArchive() {
        Result r = admin("verify", archive.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("tessera-backup/2") && r.out().contains("OK:"), r.out());
        assertTrue(r.out().contains(sourceDigest), "manifest digest is the node's last state digest: " + r.out());
        assertTrue(stateIndex > snapshotIndex);
        assertTrue(r.out().contains("last index/term   " + stateIndex + " / "), "offline backup at the state's index "
                + stateIndex + ", not the snapshot's " + snapshotIndex + ": " + r.out());
    }

    @Test
    void oneCorruptByteInAFileIsRefusedNamingTheFile() throws IOException {
        String[] file = new String[1];
        Path bad = rewrite("corrupt.zip", entries -> {
            file[0] = sst(entries);
            byte[] b = entries.get(file[0]).clone();
            b[b.length / 2] ^= 0x01;
            entries.put(file[0], b);
            return entries;
        });
        refused(bad, "file " + file[0].substring("snapshot/".length()) + " is corrupt");
    }

    @Test
    void aRawByteFlipInTheArchiveIsRefused() throws IOException {
        byte[] bytes = Files.readAllBytes(archive);
        // Offset 10 is the first local file header's modification time: java.util.zip.ZipFile never reads
        // it (times come from the central directory), so only the whole-archive checksum notices the flip.
        Path header = flipped(bytes, 10);
        refused(header, "backup archive " + header + " is corrupt: archive SHA-256 ");
        // An arbitrary position (whatever lies there in this run's archive).
        Path third = flipped(bytes, bytes.length / 3);
        refused(third, "backup archive " + third + " ");
    }

    private Path flipped(byte[] bytes, int at) throws IOException {
        Path bad = dir.resolve("flipped-at-" + at + ".zip");
        byte[] copy = bytes.clone();
        copy[at] ^= 0x40;
        Files.write(bad, copy);
        return bad;
    }

    @Test
    void aTruncatedArchiveIsRefused() throws IOException {
        Path bad = dir.resolve("truncated.zip");
        byte[] bytes = Files.readAllBytes(archive);
        Files.write(bad, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        refused(bad, "is not a zip archive or is truncated");
    }

    @Test
    void swappedFilesAreRefused() throws IOException {
        String[] names = new String[2];
        Path bad = rewrite("swapped.zip", entries -> {
            List<String> state = new ArrayList<>(entries.keySet().stream()
                    .filter(k -> k.startsWith("snapshot/state/") && !k.endsWith("tx-manifest")).toList());
            names[0] = state.get(0);
            names[1] = state.get(1);
            byte[] a = entries.get(names[0]);
            entries.put(names[0], entries.get(names[1]));
            entries.put(names[1], a);
            return entries;
        });
        refused(bad, "file " + names[0].substring("snapshot/".length()));
    }

    @Test
    void aForeignArchiveIsRefused() throws IOException {
        Path bad = dir.resolve("foreign.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(bad))) {
            zip.putNextEntry(new ZipEntry("README.txt"));
            zip.write("not a backup".getBytes());
            zip.closeEntry();
        }
        refused(bad, "is not a Tessera backup");
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "plain text");
        refused(text, "is not a zip archive or is truncated");
    }

    @Test
    void anEditedManifestIsRefused() throws IOException {
        Path bad = rewrite("edited.zip", entries -> {
            String json = new String(entries.get("tessera-backup.json"));
            entries.put("tessera-backup.json", json.replace("\"group\" : \"default\"", "\"group\" : \"other\"").getBytes());
            return entries;
        });
        refused(bad, "has a corrupt manifest");
    }

    @Test
    void populatedDataDirsNeedForceAndDryRunWritesNothing() throws Exception {
        TestCluster target = new TestCluster(dir.resolve("target"), 1);
        Path conf = conf(target);
        Path data = target.dataDir(0);
        Files.createDirectories(data.resolve("state/db"));
        Files.writeString(data.resolve("state/db/CURRENT"), "old state");
        List<String> before = listing(data);

        Result refused = admin("restore", archive.toString(), "--conf", conf.toString());
        assertEquals(1, refused.code());
        assertTrue(refused.err().contains("data directories are not empty: node1"), refused.err());
        assertEquals(before, listing(data));

        Result dry = admin("restore", archive.toString(), "--conf", conf.toString(), "--force", "--dry-run");
        assertEquals(0, dry.code(), dry.err());
        assertTrue(dry.out().contains("would write node1") && dry.out().contains("dry run: nothing written"), dry.out());
        assertEquals(before, listing(data));

        Path empty = dir.resolve("empty-target");
        TestCluster fresh = new TestCluster(empty, 1);
        Result dryEmpty = admin("restore", archive.toString(), "--conf", fresh.writeConf(dir.resolve("conf2")).toString(),
                "--dry-run");
        assertEquals(0, dryEmpty.code(), dryEmpty.err());
        assertFalse(Files.exists(empty), "a dry run creates no directory");

        Result forced = admin("restore", archive.toString(), "--conf", conf.toString(), "--force");
        assertEquals(0, forced.code(), forced.err());
        assertFalse(Files.exists(data.resolve("state")), "old state replaced");
        assertTrue(JraftSnapshots.latest(data.resolve("raft/snapshot")).isPresent());
        target.start(0);
        try {
            assertEquals(sourceDigest, target.node(0).stateMachine().view().digest(),
                    "the forced restore starts with the backed-up state");
            target.leaderIndex();
        } finally {
            target.close();
        }
    }
}
