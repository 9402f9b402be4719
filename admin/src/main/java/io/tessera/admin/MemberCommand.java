package io.tessera.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code member list|add|remove|replace|transfer-leader}: the membership of a live cluster, through the
 * admin API of any member (the leader runs every change). Logs in with the admin role.
 */
@Command(name = "member", description = "Members of a live cluster: list, add, remove, replace, move the leadership (admin role).",
        subcommands = {MemberCommand.ListMembers.class, MemberCommand.Add.class, MemberCommand.Remove.class,
                MemberCommand.Replace.class, MemberCommand.TransferLeader.class})
final class MemberCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "choose a command: list, add, remove, replace or transfer-leader");
    }

    /** Where and as whom: any members' control addresses, the admin login. */
    static final class Target {
        @Option(names = "--cluster", split = ",", required = true, paramLabel = "HOST:PORT",
                description = "control addresses of any cluster members (comma separated)")
        List<String> cluster;

        @Mixin
        AdminLogin login;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
                description = "how long the change may take, a new member's catch-up included (default: ${DEFAULT-VALUE})")
        long timeoutSeconds;

        ClusterClient client() {
            return new ClusterClient(cluster, login.username(), login.password(), Duration.ofSeconds(30));
        }

        Duration timeout() {
            return Duration.ofSeconds(Math.max(1, timeoutSeconds));
        }

        Map<String, Object> body() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("timeoutMs", timeout().toMillis());
            return body;
        }
    }

    @Command(name = "list", description = {"The members: role (leader, voter, learner), raft, control and transaction",
            "endpoints, applied index (empty: the member did not answer), where the endpoints come from."})
    static final class ListMembers implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Target target;

        @Override
        public Integer call() {
            JsonNode data = target.client().listMembers().path("data");
            PrintWriter out = spec.commandLine().getOut();
            out.printf("leader %s, term %d%n", data.path("leader").asText("none"), data.path("term").asLong());
            out.printf("%-12s %-22s %-22s %-22s %-22s %-10s %s%n", "NODE", "ROLE", "RAFT", "CONTROL", "TRANSACTION",
                    "APPLIED", "ENDPOINTS FROM");
            for (JsonNode m : data.path("members")) {
                out.printf("%-12s %-22s %-22s %-22s %-22s %-10s %s%n", m.path("nodeId").asText(),
                        m.path("role").asText(), m.path("raft").asText(), text(m.path("control")),
                        text(m.path("transaction")), text(m.path("appliedIndex")), m.path("endpointsFrom").asText());
            }
            return 0;
        }

        private static String text(JsonNode n) {
            return n.isNull() || n.isMissingNode() ? "-" : n.asText();
        }
    }

    @Command(name = "add", description = {
            "Add a member. Start the new node first, with cluster.join=true and a member certificate of this",
            "cluster's CA (tessera-admin tls issue). It joins as a learner, catches up from a snapshot and the",
            "log, and only then becomes a voter; the command returns when it votes."})
    static final class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Target target;

        @Parameters(index = "0", paramLabel = "ID@HOST:CONTROL:TRANSACTION:RAFT", description = "the new member")
        String member;

        @Override
        public Integer call() throws IOException {
            Map<String, Object> body = target.body();
            body.put("member", member);
            return print(spec, target.client().changeMembers("add", body, target.timeout()));
        }
    }

    @Command(name = "remove", description = {
            "Remove a member (node id or raft endpoint). The leader hands leadership to the voter furthest",
            "ahead before it is removed itself. Stop the node afterwards."})
    static final class Remove implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Target target;

        @Parameters(index = "0", paramLabel = "NODE", description = "node id or raft endpoint host:port")
        String member;

        @Override
        public Integer call() throws IOException {
            Map<String, Object> body = target.body();
            body.put("member", member);
            return print(spec, target.client().changeMembers("remove", body, target.timeout()));
        }
    }

    @Command(name = "replace", description = {
            "Replace a member (e.g. a failed machine) by a new one: add the new member (learner, catch-up,",
            "voter), then remove the old one, so the voters never drop below their number before the change."})
    static final class Replace implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Target target;

        @Parameters(index = "0", paramLabel = "OLD", description = "node id or raft endpoint of the member to replace")
        String old;

        @Parameters(index = "1", paramLabel = "ID@HOST:CONTROL:TRANSACTION:RAFT", description = "the new member")
        String member;

        @Override
        public Integer call() throws IOException {
            Map<String, Object> body = target.body();
            body.put("old", old);
            body.put("member", member);
            return print(spec, target.client().changeMembers("replace", body, target.timeout()));
        }
    }

    @Command(name = "transfer-leader", description = {
            "Hand leadership to NODE, or without NODE to the voter that has applied the most entries."})
    static final class TransferLeader implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Target target;

        @Parameters(index = "0", arity = "0..1", paramLabel = "NODE", description = "node id or raft endpoint (optional)")
        String member;

        @Override
        public Integer call() throws IOException {
            Map<String, Object> body = target.body();
            if (member != null) {
                body.put("member", member);
            }
            return print(spec, target.client().changeMembers("transfer-leader", body, target.timeout()));
        }
    }

    private static int print(CommandSpec spec, JsonNode answer) {
        spec.commandLine().getOut().println(answer.path("message").asText("done"));
        return 0;
    }
}
