package io.tessera.admin;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "restore", description = {
        "Verify a backup archive, then seed the data directory of every node in the config so the",
        "cluster starts from the backup (same or new addresses). Nodes must be stopped."})
final class RestoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the backup archive")
    Path file;

    @Option(names = "--conf", required = true, paramLabel = "DIR", description = "cluster config dir (*.properties)")
    Path conf;

    @Option(names = "--data-root", paramLabel = "DIR",
            description = "data dirs are DIR/<node file name> (as scripts/cluster.sh); default: data.dir of each file")
    Path dataRoot;

    @Option(names = "--force", description = "replace existing raft and state data")
    boolean force;

    @Option(names = "--dry-run", description = "verify and print what would be written; write nothing")
    boolean dryRun;

    @Override
    public Integer call() throws IOException {
        ClusterConf c = ClusterConf.read(conf, dataRoot);
        new Restorer(file, c, force, spec.commandLine().getOut()).run(dryRun);
        return 0;
    }
}
