package io.tessera.admin;

import io.tessera.coordinator.backup.ArchiveReader;
import io.tessera.coordinator.backup.ArchiveWriter;
import io.tessera.coordinator.backup.BackupException;
import io.tessera.coordinator.backup.BackupManifest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "backup", description = {
        "Take a consistent backup into one archive:",
        "  --cluster: the leader snapshots now and streams the archive (the cluster keeps serving;",
        "    needs the admin role: --username/--password or TESSERA_ADMIN_USERNAME/TESSERA_ADMIN_PASSWORD);",
        "  --data-dir: from the latest snapshot of a STOPPED node's data directory."})
final class BackupCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    static final class Source {
        @Option(names = "--cluster", split = ",", paramLabel = "HOST:PORT",
                description = "control addresses of any cluster members (comma separated)")
        List<String> cluster;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "data directory of a stopped node")
        Path dataDir;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "archive to write")
    Path out;

    @Mixin
    AdminLogin login;

    @Option(names = "--group", defaultValue = "default",
            description = "group name recorded for an offline backup (default: ${DEFAULT-VALUE})")
    String group;

    @Option(names = "--timeout-seconds", defaultValue = "600", description = "limit for a live backup")
    long timeoutSeconds;

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        Path target = out.toAbsolutePath();
        if (target.getParent() != null) {
            Files.createDirectories(target.getParent());
        }
        BackupManifest m = source.cluster != null ? live(target, o) : offline(target, o);
        o.print(m.describe());
        o.println("backup written to " + target + " (" + Files.size(target) + " bytes)");
        return 0;
    }

    private BackupManifest live(Path target, PrintWriter o) throws IOException {
        ClusterClient client = new ClusterClient(source.cluster, login.username(), login.password(),
                Duration.ofSeconds(timeoutSeconds));
        String leader = client.findLeader();
        o.println("leader " + leader + ": taking a snapshot now");
        Path part = target.resolveSibling(target.getFileName() + ".download");
        try {
            client.downloadBackup(leader, part);
            // Check what arrived before it replaces anything at --out.
            BackupManifest m = new ArchiveReader(part).verify();
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            return m;
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private BackupManifest offline(Path target, PrintWriter o) throws IOException {
        Path dir = source.dataDir.toAbsolutePath().normalize();
        if (Files.exists(dir.resolve("node.pid")) && NodeProcess.running(dir.resolve("node.pid"))) {
            throw new BackupException("the node owning " + dir + " is running; use backup --cluster, or stop it first");
        }
        Path work = Files.createTempDirectory(target.getParent(), ".tessera-backup-");
        try {
            OfflineSnapshot.Result snap = new OfflineSnapshot(dir).build(work);
            o.println("offline backup of " + dir + ": state at index " + snap.index() + " (latest jraft snapshot at "
                    + snap.snapshotIndex() + ")");
            return new ArchiveWriter(Clock.systemUTC()).write(snap.snapshotDir(), group, "data dir " + dir,
                    work.resolve("scratch"), target);
        } finally {
            Fs.deleteTree(work);
        }
    }
}
