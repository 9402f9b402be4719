package io.tessera.admin;

import io.tessera.coordinator.backup.ArchiveReader;
import io.tessera.coordinator.backup.BackupManifest;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "verify", description = "Check every checksum of a backup archive and print its manifest.")
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the backup archive")
    Path file;

    @Override
    public Integer call() {
        BackupManifest m = new ArchiveReader(file).verify();
        spec.commandLine().getOut().print(m.describe());
        spec.commandLine().getOut().println("OK: " + file + " is a complete, intact backup");
        return 0;
    }
}
