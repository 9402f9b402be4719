package io.tessera.admin;

import com.alipay.sofa.jraft.conf.ConfigurationEntry;
import com.alipay.sofa.jraft.conf.ConfigurationManager;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.entity.codec.v2.LogEntryV2CodecFactory;
import com.alipay.sofa.jraft.option.LogStorageOptions;
import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.storage.impl.RocksDBLogStorage;
import io.tessera.coordinator.backup.BackupException;
import io.tessera.coordinator.backup.JraftSnapshots;
import io.tessera.raft.tx.TxStateMachine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A snapshot of a stopped node's CURRENT state, not just its last jraft snapshot: the state store holds
 * every entry up to its last applied index L (entries after the last snapshot included), so we take a
 * RocksDB checkpoint of it and describe it as jraft would — index L, the term of entry L and the
 * configuration in force at L, both read from the node's raft log (or its snapshot when L is the
 * snapshot's index). Opening the stores is what the node itself does on start; nothing else changes.
 */
final class OfflineSnapshot {
    private final Path dataDir;

    OfflineSnapshot(Path dataDir) {
        this.dataDir = dataDir;
    }

    record Result(Path snapshotDir, long index, long snapshotIndex) {
    }

    /** Builds the snapshot under {@code work/snapshot}. */
    Result build(Path work) throws IOException {
        Path snapshots = dataDir.resolve("raft").resolve("snapshot");
        Optional<Path> latest = JraftSnapshots.latest(snapshots);
        JraftSnapshots.Info snap = latest.map(p -> JraftSnapshots.read(p.resolve(JraftSnapshots.META_FILE)))
                .orElse(null);
        Path stateDir = dataDir.resolve("state");
        if (!Files.isDirectory(stateDir.resolve("db"))) {
            throw new BackupException("no transaction store under " + stateDir + " (is " + dataDir
                    + " a Tessera data directory?)");
        }
        Path out = work.resolve("snapshot");
        TxStateMachine sm = new TxStateMachine(stateDir);
        long index;
        try {
            sm.open();
            index = sm.lastAppliedIndex();
            sm.saveSnapshot(out.resolve("state"));
        } finally {
            sm.close();
        }
        if (index == 0) {
            throw new BackupException("the node at " + dataDir + " has applied nothing; nothing to back up");
        }
        long term;
        List<String> peers;
        if (snap != null && index == snap.lastIncludedIndex()) {
            term = snap.lastIncludedTerm();
            peers = snap.peers();
        } else {
            TermAndPeers tp = fromLog(index);
            term = tp.term();
            peers = tp.peers().isEmpty() && snap != null ? snap.peers() : tp.peers();
        }
        if (term <= 0 || peers.isEmpty()) {
            throw new BackupException("cannot find the term/configuration of index " + index + " in " + dataDir
                    + "/raft (log and snapshot)");
        }
        JraftSnapshots.writeMeta(out, index, term, peers);
        return new Result(out, index, snap == null ? 0 : snap.lastIncludedIndex());
    }

    private record TermAndPeers(long term, List<String> peers) {
    }

    private TermAndPeers fromLog(long index) {
        Path logDir = dataDir.resolve("raft").resolve("log");
        if (!Files.isDirectory(logDir)) {
            throw new BackupException("no raft log under " + logDir);
        }
        RocksDBLogStorage log = new RocksDBLogStorage(logDir.toString(), new RaftOptions());
        ConfigurationManager confs = new ConfigurationManager();
        LogStorageOptions opts = new LogStorageOptions();
        opts.setGroupId("offline-backup");
        opts.setConfigurationManager(confs);
        opts.setLogEntryCodecFactory(LogEntryV2CodecFactory.getInstance());
        if (!log.init(opts)) {
            throw new BackupException("cannot open the raft log under " + logDir);
        }
        try {
            long term = log.getTerm(index);
            ConfigurationEntry conf = confs.get(index);
            List<String> peers = conf == null || conf.isEmpty() ? List.of()
                    : conf.getConf().getPeers().stream().map(PeerId::getEndpoint).map(Object::toString).toList();
            return new TermAndPeers(term, peers);
        } finally {
            log.shutdown();
        }
    }
}
