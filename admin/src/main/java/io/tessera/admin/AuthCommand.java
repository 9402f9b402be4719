package io.tessera.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code auth rotate-key} and {@code auth set-credentials}: the control port's admin API for its secrets. */
@Command(name = "auth", description = "Control-port secrets of a live cluster (admin role).",
        subcommands = {AuthCommand.RotateKey.class, AuthCommand.SetCredentials.class})
final class AuthCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "choose a command: rotate-key or set-credentials");
    }

    /** Where: any members (a follower forwards the change to the leader). */
    static final class Target {
        @Option(names = "--cluster", split = ",", required = true, paramLabel = "HOST:PORT",
                description = "control addresses of any cluster members (comma separated)")
        List<String> cluster;

        ClusterClient client(String username, String password) {
            return new ClusterClient(cluster, username, password, Duration.ofSeconds(30));
        }
    }

    @Command(name = "rotate-key", description = {
            "Replace the cluster's token-signing key by a new random one: every token issued before is",
            "refused on every node (Seata clients log in again on their next call)."})
    static final class RotateKey implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Target target;

        @Mixin
        AdminLogin login;

        @Override
        public Integer call() {
            JsonNode answer = target.client(login.username(), login.password()).rotateTokenKey();
            spec.commandLine().getOut().println(answer.path("message").asText("token key rotated"));
            return 0;
        }
    }

    @Command(name = "set-credentials", description = {
            "Set a role's credentials on every node at once, without a restart (they replace the configured",
            "ones). The new password is read from standard input (one line). Tokens issued before stay valid",
            "until they expire; run rotate-key afterwards to end them at once. Logs in as admin with",
            "--admin-username/--admin-password or TESSERA_ADMIN_USERNAME/TESSERA_ADMIN_PASSWORD."})
    static final class SetCredentials implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Target target;

        @Option(names = "--admin-username", paramLabel = "USER",
                description = "admin user to log in with (default: env " + AdminLogin.USERNAME_ENV + ")")
        String adminUsername;

        @Option(names = "--admin-password", paramLabel = "PASSWORD",
                description = "admin password to log in with (default: env " + AdminLogin.PASSWORD_ENV + ")")
        String adminPassword;

        @Option(names = "--role", required = true, paramLabel = "client|admin",
                description = "client: what Seata clients log in with; admin: operators (backup, this command)")
        String role;

        @Option(names = "--username", required = true, paramLabel = "USER", description = "the role's new user name")
        String newUsername;

        @Option(names = "--password-stdin", required = true,
                description = "read the new password from standard input (never from the command line)")
        boolean passwordStdin;

        @Override
        public Integer call() throws IOException {
            if (!role.equals("client") && !role.equals("admin")) {
                throw new AdminException("--role must be client or admin");
            }
            String password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (password == null || password.isEmpty()) {
                throw new AdminException("no password on standard input");
            }
            ClusterClient client = target.client(AdminLogin.username(adminUsername, "--admin-username"),
                    AdminLogin.password(adminPassword, "--admin-password"));
            JsonNode answer = client.setCredentials(role, newUsername, password);
            PrintWriter out = spec.commandLine().getOut();
            out.println(answer.path("message").asText("credentials set"));
            return 0;
        }
    }
}
