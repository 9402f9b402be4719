package io.tessera.coordinator.backup;

import io.tessera.raft.group.RaftGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live backups on the leader: jraft takes a snapshot now (the apply thread pauses only for the RocksDB
 * checkpoint), the snapshot directory is hard-linked into a private staging copy at once (jraft may
 * delete it when the next snapshot lands; SST files are immutable, so links are a consistent copy),
 * and the archive is built from that copy on this service's own thread while the group keeps serving.
 */
public final class BackupService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackupService.class);

    private final RaftGroup group;
    private final String nodeId;
    private final Path workDir;
    private final Clock clock;
    private final AtomicLong sequence = new AtomicLong();
    /** One backup at a time: they share the work directory and would only compete for the disk. */
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tessera-backup");
        t.setDaemon(true);
        return t;
    });

    public BackupService(RaftGroup group, String nodeId, Path workDir, Clock clock) {
        this.group = group;
        this.nodeId = nodeId;
        this.workDir = workDir;
        this.clock = clock;
    }

    public boolean isLeader() {
        return group.isLeader();
    }

    /** Completes with a finished archive file in the work directory; the caller deletes it when sent. */
    public CompletableFuture<Path> backupNow() {
        if (!group.isLeader()) {
            return CompletableFuture.failedFuture(new BackupException("node " + nodeId + " is not the leader"));
        }
        long term = group.currentTerm();
        long started = System.nanoTime();
        return group.snapshotNow().thenApplyAsync(ignored -> {
            try {
                Path archive = build(term);
                LOG.info("backup {} written in {} ms", archive.getFileName(), (System.nanoTime() - started) / 1_000_000);
                return archive;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, worker);
    }

    private Path build(long term) throws IOException {
        Files.createDirectories(workDir);
        // Leftovers of earlier backups (a client that gave up before the archive was ready, a crash).
        // Backups run one at a time on this thread; an archive still being sent stays readable through
        // its open file handle.
        StateDigest.deleteTree(workDir);
        Files.createDirectories(workDir);
        long n = sequence.incrementAndGet();
        Path staging = workDir.resolve("staging-" + n);
        StateDigest.deleteTree(staging);
        Optional<Path> latest = JraftSnapshots.latest(group.options().raftSnapshotDir());
        if (latest.isEmpty()) {
            throw new BackupException("no snapshot on " + nodeId + " after snapshotNow (nothing applied yet?)");
        }
        try {
            linkTree(latest.get(), staging.resolve("snapshot"));
            Path archive = workDir.resolve("backup-" + n + ".zip");
            new ArchiveWriter(clock).write(staging.resolve("snapshot"), group.groupId(),
                    "node " + nodeId + " (leader in term " + term + ")", staging.resolve("scratch"), archive);
            return archive;
        } catch (NoSuchFileException e) {
            throw new BackupException("snapshot " + latest.get().getFileName()
                    + " was replaced by a newer one while it was being linked; run the backup again", e);
        } finally {
            StateDigest.deleteTree(staging);
        }
    }

    /** Hard links where the file system allows (same device), a copy otherwise. */
    private static void linkTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    try {
                        Files.createLink(target, p);
                    } catch (UnsupportedOperationException | IOException e) {
                        if (e instanceof NoSuchFileException nsf) {
                            throw nsf;
                        }
                        Files.copy(p, target);
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
