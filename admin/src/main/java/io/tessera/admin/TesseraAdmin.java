package io.tessera.admin;

import io.tessera.coordinator.backup.BackupException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point: {@code backup}, {@code verify}, {@code restore}, {@code auth}, {@code tls}, {@code member},
 * {@code tx}, {@code locks}, {@code cluster}. Exit 0
 * ok, 1 refused/failed, 2 usage.
 */
@Command(name = "tessera-admin", mixinStandardHelpOptions = true,
        description = "Backup, verify and restore a Tessera cluster; manage its members, credentials, token key and member certificates.",
        subcommands = {BackupCommand.class, VerifyCommand.class, RestoreCommand.class, AuthCommand.class, TlsCommand.class,
                MemberCommand.class, TxCommand.class, LocksCommand.class, ClusterCommand.class})
public final class TesseraAdmin implements Runnable {

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(args, out, err));
    }

    /** In-process entry (tests, scripts share it): same parsing, same exit codes. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new TesseraAdmin());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // Expected refusals are one line; anything else is a bug and keeps its stack trace.
            if (e instanceof BackupException || e instanceof AdminException || e instanceof java.io.IOException) {
                err.println("error: " + e.getMessage());
            } else {
                err.println("error: " + e);
                e.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this),
                "choose a command: backup, verify, restore, auth, tls, member, tx, locks or cluster");
    }
}
