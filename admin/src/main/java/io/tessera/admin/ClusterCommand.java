package io.tessera.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code cluster status}: members, roles, term, applied index and lag behind the member furthest ahead. */
@Command(name = "cluster", description = "The cluster's state (admin role).", subcommands = ClusterCommand.Status.class)
final class ClusterCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "choose a command: status");
    }

    @Command(name = "status", description = {"Members with role, endpoints, applied index and lag (entries behind the",
            "member furthest ahead; '-' when the member did not answer), the leader and its term."})
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ConsoleTarget target;

        @Override
        public Integer call() {
            JsonNode answer = target.client().listMembers();
            PrintWriter out = spec.commandLine().getOut();
            if (target.printedJson(out, answer)) {
                return 0;
            }
            JsonNode data = answer.path("data");
            long max = 0;
            for (JsonNode m : data.path("members")) {
                max = Math.max(max, m.path("appliedIndex").asLong(0));
            }
            out.printf("leader %s, term %d%n", data.path("leader").asText("none"), data.path("term").asLong());
            out.printf("%-12s %-10s %-22s %-22s %-22s %-10s %s%n", "NODE", "ROLE", "RAFT", "CONTROL", "TRANSACTION",
                    "APPLIED", "LAG");
            for (JsonNode m : data.path("members")) {
                JsonNode applied = m.path("appliedIndex");
                boolean known = applied.isNumber();
                out.printf("%-12s %-10s %-22s %-22s %-22s %-10s %s%n", m.path("nodeId").asText(), m.path("role").asText(),
                        m.path("raft").asText(), ConsoleTarget.text(m.path("control")),
                        ConsoleTarget.text(m.path("transaction")), known ? applied.asText() : "-",
                        known ? String.valueOf(max - applied.asLong()) : "-");
            }
            return 0;
        }
    }
}
