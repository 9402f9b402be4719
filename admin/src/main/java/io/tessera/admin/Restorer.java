package io.tessera.admin;

import io.tessera.coordinator.backup.ArchiveReader;
import io.tessera.coordinator.backup.BackupException;
import io.tessera.coordinator.backup.BackupManifest;
import io.tessera.coordinator.backup.JraftSnapshots;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Seeds every configured node's data directory with the archive's snapshot, so the cluster starts as
 * if it had taken that snapshot itself: {@code raft/snapshot/snapshot_<index>/} with the peer list in
 * the jraft meta rewritten to the configured members, and {@code raft/meta} holding the snapshot's
 * term. The raft log and the state dir stay empty: on start jraft loads the snapshot into the state
 * machine (verifying every file again) and numbers new entries from index+1 in a later term.
 *
 * <p>Order: verify the archive, check every target, print the plan; only then write, node by node, each
 * into a staging directory that is renamed into place when complete.
 */
final class Restorer {
    private static final List<String> OWNED = List.of("raft", "state", "backup-tmp", ".restore-tmp");

    private final Path archive;
    private final ClusterConf conf;
    private final boolean force;
    private final PrintWriter out;

    Restorer(Path archive, ClusterConf conf, boolean force, PrintWriter out) {
        this.archive = archive;
        this.conf = conf;
        this.force = force;
        this.out = out;
    }

    /** @return the verified manifest; nothing is written when {@code dryRun} */
    BackupManifest run(boolean dryRun) throws IOException {
        ArchiveReader reader = new ArchiveReader(archive);
        BackupManifest m = reader.verify();
        out.print(m.describe());
        checkTargets();
        long bytes = m.files().stream().mapToLong(BackupManifest.FileEntry::size).sum();
        String snap = JraftSnapshots.dirName(m.lastIncludedIndex());
        if (!conf.group().equals(m.group())) {
            out.println("note: the archive comes from group '" + m.group() + "', the config names '" + conf.group()
                    + "'; clients must use the configured name");
        }
        for (ClusterConf.Node n : conf.nodes()) {
            out.println((dryRun ? "would write " : "writing ") + n.id() + ": " + n.dataDir()
                    + "/raft/snapshot/" + snap + " (" + m.files().size() + " files, " + bytes + " bytes, peers "
                    + String.join(",", conf.raftPeers()) + "), raft/meta term " + m.lastIncludedTerm()
                    + (Fs.nonEmpty(n.dataDir()) ? " [replacing existing raft/ and state/]" : ""));
        }
        if (dryRun) {
            out.println("dry run: nothing written");
            return m;
        }
        for (ClusterConf.Node n : conf.nodes()) {
            seed(reader, m, n);
        }
        out.println("restored " + conf.nodes().size() + " node(s) to index " + m.lastIncludedIndex() + "; start them"
                + " (e.g. scripts/cluster.sh start)");
        return m;
    }

    /** Every refusal happens here, before the first byte is written anywhere. */
    private void checkTargets() throws IOException {
        List<String> populated = new ArrayList<>();
        for (ClusterConf.Node n : conf.nodes()) {
            Path pid = n.dataDir().resolve("node.pid");
            if (Files.exists(pid) && NodeProcess.running(pid)) {
                throw new BackupException("node " + n.id() + " is running (" + pid + "); stop it before restoring");
            }
            if (Fs.nonEmpty(n.dataDir())) {
                populated.add(n.id() + " (" + n.dataDir() + ")");
            }
        }
        if (!populated.isEmpty() && !force) {
            throw new BackupException("data directories are not empty: " + String.join(", ", populated)
                    + "; use --force to replace their raft and state data");
        }
    }

    private void seed(ArchiveReader reader, BackupManifest m, ClusterConf.Node n) throws IOException {
        Path dir = n.dataDir();
        Path staging = dir.resolve(".restore-tmp");
        Fs.deleteTree(staging);
        Path snapshot = staging.resolve("raft").resolve("snapshot").resolve(JraftSnapshots.dirName(m.lastIncludedIndex()));
        Files.createDirectories(snapshot);
        reader.extract(m, snapshot);
        JraftSnapshots.Info info = JraftSnapshots.read(snapshot.resolve(JraftSnapshots.META_FILE));
        if (info.lastIncludedIndex() != m.lastIncludedIndex() || info.lastIncludedTerm() != m.lastIncludedTerm()) {
            throw new BackupException("backup archive " + archive + ": jraft meta says index/term "
                    + info.lastIncludedIndex() + "/" + info.lastIncludedTerm() + ", the manifest "
                    + m.lastIncludedIndex() + "/" + m.lastIncludedTerm());
        }
        JraftSnapshots.rewritePeers(snapshot.resolve(JraftSnapshots.META_FILE), conf.raftPeers());
        JraftSnapshots.writeTerm(staging.resolve("raft").resolve("meta"), m.lastIncludedTerm());
        Files.createDirectories(staging.resolve("raft").resolve("log"));
        // Old data goes only now, when the new data is complete next to it.
        for (String owned : OWNED) {
            if (!owned.equals(".restore-tmp")) {
                Fs.deleteTree(dir.resolve(owned));
            }
        }
        Files.deleteIfExists(dir.resolve("node.pid"));
        Files.move(staging.resolve("raft"), dir.resolve("raft"), StandardCopyOption.ATOMIC_MOVE);
        Fs.deleteTree(staging);
        out.println("seeded " + n.id() + " at " + dir);
    }
}
