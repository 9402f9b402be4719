package io.tessera.coordinator.backup;

import com.alipay.sofa.jraft.entity.LocalStorageOutter.StablePBMeta;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.entity.RaftOutter.SnapshotMeta;
import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.storage.io.ProtoBufFile;
import com.alipay.sofa.jraft.storage.snapshot.local.LocalSnapshotMetaTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The facts we need from jraft's on-disk layout (1.3.15): {@code raft/snapshot/snapshot_<index>/} holds
 * {@code __raft_snapshot_meta} (LocalSnapshotPbMeta: last included index/term, peers, file list) next
 * to the state machine's files; {@code raft/meta/raft_meta} (StablePBMeta) holds the current term and
 * vote. Reading and writing goes through jraft's own classes so the bytes stay what jraft expects.
 */
public final class JraftSnapshots {
    public static final String META_FILE = "__raft_snapshot_meta";
    static final String RAFT_META_FILE = "raft_meta";
    private static final String PREFIX = "snapshot_";

    public record Info(long lastIncludedIndex, long lastIncludedTerm, List<String> peers) {
    }

    private JraftSnapshots() {
    }

    /** The newest complete {@code snapshot_<index>} directory under jraft's snapshot root. */
    public static Optional<Path> latest(Path snapshotRoot) throws IOException {
        if (!Files.isDirectory(snapshotRoot)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(snapshotRoot)) {
            return s.filter(p -> p.getFileName().toString().matches(PREFIX + "\\d+"))
                    .filter(p -> Files.isRegularFile(p.resolve(META_FILE)))
                    .max(Comparator.comparingLong(JraftSnapshots::indexOf));
        }
    }

    static long indexOf(Path snapshotDir) {
        return Long.parseLong(snapshotDir.getFileName().toString().substring(PREFIX.length()));
    }

    public static String dirName(long index) {
        return PREFIX + index;
    }

    public static Info read(Path metaFile) {
        LocalSnapshotMetaTable table = load(metaFile);
        SnapshotMeta m = table.getMeta();
        return new Info(m.getLastIncludedIndex(), m.getLastIncludedTerm(), List.copyOf(m.getPeersList()));
    }

    /**
     * Rewrites the configuration inside a snapshot meta: a restored cluster with new addresses must not
     * try to reach the old members (jraft takes its configuration from the snapshot, not from the
     * initial conf, once a snapshot exists). Index, term and file list are kept.
     */
    public static void rewritePeers(Path metaFile, List<String> peers) throws IOException {
        LocalSnapshotMetaTable table = load(metaFile);
        SnapshotMeta.Builder b = table.getMeta().toBuilder().clearPeers().clearOldPeers().clearLearners()
                .clearOldLearners();
        for (String p : peers) {
            if (PeerId.parsePeer(p) == null) {
                throw new BackupException("not a raft endpoint: " + p);
            }
            b.addPeers(p);
        }
        table.setMeta(b.build());
        if (!table.saveToFile(metaFile.toString())) {
            throw new IOException("cannot write snapshot meta " + metaFile);
        }
    }

    /**
     * Writes a fresh snapshot meta for the files already in {@code snapshotDir} (an offline snapshot
     * built from a state checkpoint). jraft only needs the file names; checksums are ours.
     */
    public static void writeMeta(Path snapshotDir, long index, long term, List<String> peers) throws IOException {
        LocalSnapshotMetaTable table = new LocalSnapshotMetaTable(new RaftOptions());
        SnapshotMeta.Builder b = SnapshotMeta.newBuilder().setLastIncludedIndex(index).setLastIncludedTerm(term);
        peers.forEach(b::addPeers);
        table.setMeta(b.build());
        try (Stream<Path> s = Files.walk(snapshotDir)) {
            for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                table.addFile(snapshotDir.relativize(f).toString().replace('\\', '/'),
                        com.alipay.sofa.jraft.entity.LocalFileMetaOutter.LocalFileMeta.newBuilder().build());
            }
        }
        if (!table.saveToFile(snapshotDir.resolve(META_FILE).toString())) {
            throw new IOException("cannot write snapshot meta in " + snapshotDir);
        }
    }

    /**
     * Seeds jraft's stable meta with the snapshot's term and no vote. The new cluster then elects in a
     * later term, so leader-stamped ids ({@code term << 40 | seq}) can never repeat ids already in the
     * restored state.
     */
    public static void writeTerm(Path raftMetaDir, long term) throws IOException {
        Files.createDirectories(raftMetaDir);
        StablePBMeta meta = StablePBMeta.newBuilder().setTerm(term).setVotedfor(PeerId.emptyPeer().toString()).build();
        if (!new ProtoBufFile(raftMetaDir.resolve(RAFT_META_FILE).toString()).save(meta, true)) {
            throw new IOException("cannot write raft meta in " + raftMetaDir);
        }
    }

    public static long readTerm(Path raftMetaDir) throws IOException {
        StablePBMeta meta = new ProtoBufFile(raftMetaDir.resolve(RAFT_META_FILE).toString()).load();
        return meta == null ? 0 : meta.getTerm();
    }

    private static LocalSnapshotMetaTable load(Path metaFile) {
        LocalSnapshotMetaTable table = new LocalSnapshotMetaTable(new RaftOptions());
        try {
            if (!table.loadFromFile(metaFile.toString()) || !table.hasMeta()) {
                throw new BackupException("jraft snapshot meta " + metaFile + " is unreadable");
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof BackupException be) {
                throw be;
            }
            throw new BackupException("jraft snapshot meta " + metaFile + " is unreadable: " + e.getMessage(), e);
        }
        return table;
    }
}
