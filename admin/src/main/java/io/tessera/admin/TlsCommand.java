package io.tessera.admin;

import io.tessera.raft.tls.ClusterCa;
import io.tessera.raft.tls.MemberKeystore;
import io.tessera.raft.tls.MemberTls;
import io.tessera.raft.tls.Pem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Certificates for member TLS on the raft port: a cluster CA (kept offline) and one keystore per node at
 * {@code <node data dir>/tls/member.p12} with its password in {@code member.pass}.
 */
@Command(name = "tls", mixinStandardHelpOptions = true,
        description = "Create and rotate the certificates members use on the raft port.",
        subcommands = {TlsCommand.Init.class, TlsCommand.Issue.class, TlsCommand.Trust.class, TlsCommand.Show.class})
final class TlsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose: init, issue, trust or show");
    }

    static Path tlsDir(Path nodeDataDir) {
        return nodeDataDir.resolve(MemberTls.DIR);
    }

    static void printMember(PrintWriter o, String nodeId, MemberKeystore ks) throws IOException {
        X509Certificate c = ks.certificate();
        o.println("node " + nodeId + ": " + ks.file() + " (" + c.getSubjectX500Principal().getName() + ", valid until "
                + c.getNotAfter().toInstant() + ", trusts " + ks.trustedCas().size() + " CA(s))");
    }

    @Command(name = "init", mixinStandardHelpOptions = true, description = {
            "Create the cluster CA if missing, and a keystore per node.",
            "The CA goes to --ca-dir unless one is there; every --node ID=DIR gets DIR/tls/member.p12 and",
            "DIR/tls/member.pass (DIR: the node's data directory). Re-issuing for an existing keystore keeps its",
            "password and the CAs it trusts. Keep the CA directory (ca.p12, ca.pass) offline."})
    static final class Init implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--ca-dir", required = true, paramLabel = "DIR", description = "the CA directory")
        Path caDir;

        @Option(names = "--node", paramLabel = "ID=DIR", mapFallbackValue = "",
                description = "node id and its data directory (repeatable; none: create the CA only)")
        Map<String, Path> nodes = new LinkedHashMap<>();

        @Option(names = "--days", defaultValue = "" + ClusterCa.DEFAULT_MEMBER_DAYS,
                description = "validity of member certificates (default: ${DEFAULT-VALUE})")
        int days;

        @Option(names = "--ca-days", defaultValue = "" + ClusterCa.DEFAULT_CA_DAYS,
                description = "validity of a new CA (default: ${DEFAULT-VALUE})")
        int caDays;

        @Override
        public Integer call() throws IOException {
            PrintWriter o = spec.commandLine().getOut();
            boolean existed = ClusterCa.exists(caDir);
            ClusterCa ca = ClusterCa.loadOrCreate(caDir, caDays);
            o.println((existed ? "using the CA in " : "created a CA in ") + caDir + ": "
                    + ca.certificate().getSubjectX500Principal().getName() + " (certificate: " + ca.certificateFile()
                    + "); keep " + ClusterCa.KEYSTORE_FILE + " and " + ClusterCa.PASSWORD_FILE + " offline");
            for (Map.Entry<String, Path> n : nodes.entrySet()) {
                if (n.getValue().toString().isEmpty()) {
                    throw new IOException("--node " + n.getKey() + ": expected ID=DIR");
                }
                printMember(o, n.getKey(), ca.issue(n.getKey(), tlsDir(n.getValue()), days));
            }
            return 0;
        }
    }

    @Command(name = "issue", mixinStandardHelpOptions = true, description = {
            "Issue (or renew) one node's keystore.",
            "Writes OUT/tls/member.p12 and member.pass, OUT being the node's data directory. An existing",
            "keystore keeps its password and the CAs it trusts; the issuing CA is added to them (so this also",
            "moves a node to a new CA during a rotation)."})
    static final class Issue implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--ca-dir", required = true, paramLabel = "DIR", description = "the CA directory")
        Path caDir;

        @Option(names = "--node", required = true, paramLabel = "ID", description = "node id")
        String node;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "the node's data directory")
        Path out;

        @Option(names = "--days", defaultValue = "" + ClusterCa.DEFAULT_MEMBER_DAYS,
                description = "validity of the member certificate (default: ${DEFAULT-VALUE})")
        int days;

        @Override
        public Integer call() throws IOException {
            printMember(spec.commandLine().getOut(), node, ClusterCa.load(caDir).issue(node, tlsDir(out), days));
            return 0;
        }
    }

    @Command(name = "trust", mixinStandardHelpOptions = true, description = {
            "Add or remove trusted CAs in a member keystore (CA rotation).",
            "CERT is a CA certificate in PEM, e.g. <ca dir>/ca.crt. During a rotation every member trusts the",
            "old and the new CA while certificates move to the new one. The node reads its keystore at start:",
            "restart it (one at a time) to apply."})
    static final class Trust implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--keystore", required = true, paramLabel = "FILE", description = "<data dir>/tls/member.p12")
        Path keystore;

        @Option(names = "--password-file", paramLabel = "FILE",
                description = "the keystore's password (default: member.pass next to it)")
        Path passwordFile;

        @Option(names = "--add-ca", paramLabel = "CERT", description = "CA certificate to trust (repeatable)")
        List<Path> add = List.of();

        @Option(names = "--remove-ca", paramLabel = "CERT", description = "CA certificate to stop trusting (repeatable)")
        List<Path> remove = List.of();

        @Override
        public Integer call() throws IOException {
            if (add.isEmpty() && remove.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "give --add-ca and/or --remove-ca");
            }
            PrintWriter o = spec.commandLine().getOut();
            MemberKeystore ks = MemberKeystore.open(keystore, passwordFileOr(keystore, passwordFile));
            for (Path p : add) {
                X509Certificate ca = Pem.read(p);
                o.println((ks.addTrustedCa(ca) ? "now trusts " : "already trusted: ") + describe(ca));
            }
            for (Path p : remove) {
                X509Certificate ca = Pem.read(p);
                o.println((ks.removeTrustedCa(ca) ? "no longer trusts " : "was not trusted: ") + describe(ca));
            }
            ks.save();
            o.println(keystore + " trusts " + ks.trustedCas().size() + " CA(s); restart the node to apply");
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print a member keystore's certificate and the CAs it trusts.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--keystore", required = true, paramLabel = "FILE", description = "<data dir>/tls/member.p12")
        Path keystore;

        @Option(names = "--password-file", paramLabel = "FILE",
                description = "the keystore's password (default: member.pass next to it)")
        Path passwordFile;

        @Override
        public Integer call() throws IOException {
            PrintWriter o = spec.commandLine().getOut();
            MemberKeystore ks = MemberKeystore.open(keystore, passwordFileOr(keystore, passwordFile));
            X509Certificate c = ks.certificate();
            o.println("member:  " + c.getSubjectX500Principal().getName());
            o.println("issuer:  " + c.getIssuerX500Principal().getName());
            o.println("valid:   " + c.getNotBefore().toInstant() + " .. " + c.getNotAfter().toInstant());
            for (X509Certificate ca : ks.trustedCas()) {
                o.println("trusts:  " + describe(ca));
            }
            return 0;
        }
    }

    private static Path passwordFileOr(Path keystore, Path passwordFile) {
        return passwordFile != null ? passwordFile
                : keystore.toAbsolutePath().resolveSibling(MemberTls.PASSWORD_FILE);
    }

    private static String describe(X509Certificate ca) {
        return ca.getSubjectX500Principal().getName() + " (SHA-256 " + Pem.fingerprint(ca) + ", until "
                + ca.getNotAfter().toInstant() + ")";
    }
}
