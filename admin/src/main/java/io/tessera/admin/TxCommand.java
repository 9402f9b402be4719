package io.tessera.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.GlobalStatus;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tx list|show|stop-retry|start-retry|resend|force-delete|set-status}: global transactions through
 * the console API of any member (admin role); every action is replicated and recorded with who asked.
 */
@Command(name = "tx", description = "Global transactions: list, show, stop or start phase-two retries, resend phase two, force an end (admin role).",
        subcommands = {TxCommand.ListTx.class, TxCommand.Show.class, TxCommand.StopRetry.class,
                TxCommand.StartRetry.class, TxCommand.Resend.class, TxCommand.ForceDelete.class,
                TxCommand.SetStatus.class})
final class TxCommand implements Runnable {
    static final String QUERY = "/api/v1/console/globalSession/query";
    static final String GLOBAL = "/api/v1/console/globalSession/";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "choose a command: list, show, stop-retry, start-retry, resend, force-delete or set-status");
    }

    /** A status by name (CommitRetrying) or number (3). */
    static Integer status(String s) {
        if (s == null) {
            return null;
        }
        try {
            return GlobalStatus.of(Integer.parseInt(s)).code();
        } catch (NumberFormatException e) {
            try {
                return GlobalStatus.valueOf(s).code();
            } catch (IllegalArgumentException unknown) {
                throw new AdminException("unknown status " + s + " (a GlobalStatus name or number)");
            }
        }
    }

    static String statusName(JsonNode code) {
        try {
            return GlobalStatus.of(code.asInt()).name() + "(" + code.asInt() + ")";
        } catch (IllegalArgumentException e) {
            return code.asText();
        }
    }

    static String time(JsonNode ms) {
        return ms == null || ms.isNull() || ms.isMissingNode() ? "-" : Instant.ofEpochMilli(ms.asLong()).toString();
    }

    @Command(name = "list", description = {"Retained transactions (live and ended), newest first, with filters;",
            "every filter is an exact match. --from/--to bound the begin time (ISO-8601 instant or epoch ms)."})
    static final class ListTx implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ConsoleTarget target;

        @Option(names = "--xid") String xid;
        @Option(names = "--app", description = "application id") String app;
        @Option(names = "--status", description = "GlobalStatus name or number") String status;
        @Option(names = "--name", description = "transaction name") String name;
        @Option(names = "--from", description = "begin time at or after") String from;
        @Option(names = "--to", description = "begin time at or before") String to;
        @Option(names = "--page", defaultValue = "1") int page;
        @Option(names = "--size", defaultValue = "20", description = "page size, 1..100 (default: ${DEFAULT-VALUE})") int size;

        @Override
        public Integer call() {
            JsonNode answer = target.client().console("GET", ConsoleTarget.query(QUERY, "pageNum", page,
                    "pageSize", size, "xid", xid, "applicationId", app, "status", status(status),
                    "transactionName", name, "timeStart", millis(from), "timeEnd", millis(to)));
            PrintWriter out = spec.commandLine().getOut();
            if (target.printedJson(out, answer)) {
                return 0;
            }
            out.printf("%d transaction(s), page %d of %d%n", answer.path("total").asLong(), page,
                    Math.max(1, answer.path("pages").asLong()));
            out.printf("%-36s %-32s %-16s %-20s %-24s %s%n", "XID", "STATUS", "APPLICATION", "NAME", "BEGIN", "LAST ACTION");
            for (JsonNode g : answer.path("data")) {
                out.printf("%-36s %-32s %-16s %-20s %-24s %s%n", g.path("xid").asText(), statusName(g.path("status")),
                        g.path("applicationId").asText(), g.path("transactionName").asText(), time(g.path("beginTime")),
                        ConsoleTarget.text(g.path("lastActionBy")));
            }
            return 0;
        }
    }

    /** Epoch ms from an ISO-8601 instant or a number. */
    static Long millis(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            try {
                return Instant.parse(s).toEpochMilli();
            } catch (java.time.format.DateTimeParseException bad) {
                throw new AdminException("not a time: " + s + " (ISO-8601 instant like 2025-07-01T10:00:00Z, or epoch ms)");
            }
        }
    }

    @Command(name = "show", description = "One transaction with its branches and the row locks it holds.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ConsoleTarget target;

        @Parameters(index = "0", paramLabel = "XID") String xid;

        @Override
        public Integer call() {
            ClusterClient client = target.client();
            JsonNode tx = client.console("GET", ConsoleTarget.query(QUERY, "pageNum", 1, "pageSize", 1, "xid", xid,
                    "withBranch", true));
            JsonNode locks = client.console("GET", ConsoleTarget.query(LocksCommand.QUERY, "pageNum", 1,
                    "pageSize", 100, "xid", xid));
            PrintWriter out = spec.commandLine().getOut();
            if (tx.path("data").isEmpty()) {
                throw new AdminException("no transaction " + xid + " (never seen, or purged after its retention)");
            }
            if (target.json) {
                com.fasterxml.jackson.databind.node.ObjectNode both = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
                both.set("transaction", tx.path("data").get(0));
                both.set("locks", locks.path("data"));
                target.printedJson(out, both);
                return 0;
            }
            JsonNode g = tx.path("data").get(0);
            out.printf("xid          %s%n", g.path("xid").asText());
            out.printf("status       %s%s%n", statusName(g.path("status")), g.path("live").asBoolean() ? "" : " (ended "
                    + time(g.path("endTime")) + ")");
            out.printf("application  %s, group %s%n", g.path("applicationId").asText(), g.path("transactionServiceGroup").asText());
            out.printf("name         %s%n", g.path("transactionName").asText());
            out.printf("began        %s (timeout %d ms)%n", time(g.path("beginTime")), g.path("timeout").asLong());
            out.printf("last action  %s%s%n", ConsoleTarget.text(g.path("lastActionBy")),
                    g.path("lastActionTime").isNull() ? "" : " at " + time(g.path("lastActionTime")));
            out.printf("%-20s %-5s %-28s %-40s %s%n", "BRANCH", "TYPE", "STATUS", "RESOURCE", "CLIENT");
            for (JsonNode b : g.path("branchSessionVOs")) {
                String st;
                try {
                    st = BranchStatus.of(b.path("status").asInt()).name();
                } catch (IllegalArgumentException e) {
                    st = b.path("status").asText();
                }
                out.printf("%-20s %-5s %-28s %-40s %s%n", b.path("branchId").asText(), b.path("branchType").asText(),
                        st, b.path("resourceId").asText(), b.path("clientId").asText());
            }
            out.printf("%d row lock(s)%n", locks.path("total").asLong());
            for (JsonNode l : locks.path("data")) {
                out.printf("  %s %s:%s (branch %s)%n", l.path("resourceId").asText(), l.path("tableName").asText(),
                        l.path("pk").asText(), l.path("branchId").asText());
            }
            return 0;
        }
    }

    /** The actions: one PUT/DELETE with the xid; the answer's message on success. */
    abstract static class Action implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ConsoleTarget target;

        @Parameters(index = "0", paramLabel = "XID") String xid;

        abstract String method();

        abstract String endpoint();

        abstract String done();

        @Override
        public Integer call() {
            JsonNode answer = target.client().console(method(), ConsoleTarget.query(GLOBAL + endpoint(), "xid", xid));
            PrintWriter out = spec.commandLine().getOut();
            if (!target.printedJson(out, answer)) {
                out.println(xid + ": " + done());
            }
            return 0;
        }
    }

    @Command(name = "stop-retry", description = "Stop phase-two retries (StopCommitOrCommitRetry / StopRollbackOrRollbackRetry): no leader retries it until start-retry.")
    static final class StopRetry extends Action {
        String method() { return "PUT"; }
        String endpoint() { return "stopGlobalSession"; }
        String done() { return "retries stopped"; }
    }

    @Command(name = "start-retry", description = "Start phase-two retries again (CommitRetrying / RollbackRetrying).")
    static final class StartRetry extends Action {
        String method() { return "PUT"; }
        String endpoint() { return "startGlobalSession"; }
        String done() { return "retries started"; }
    }

    @Command(name = "resend", description = "Send phase two again now (commit or rollback, as decided); a stopped transaction retries again afterwards.")
    static final class Resend extends Action {
        String method() { return "PUT"; }
        String endpoint() { return "sendCommitOrRollback"; }
        String done() { return "phase two resent"; }
    }

    @Command(name = "set-status", description = {"Seata's changeGlobalStatus: a transaction parked at its retry timeout",
            "(CommitRetryTimeout / RollbackRetryTimeout) goes back to phase two for one more round."})
    static final class SetStatus extends Action {
        String method() { return "PUT"; }
        String endpoint() { return "changeGlobalStatus"; }
        String done() { return "back in phase two"; }
    }

    @Command(name = "force-delete", description = {"End the transaction now, in any status, without calling its resource",
            "managers: it ends as Finished, its row locks are released. Undo logs / TCC state are left to the RMs."})
    static final class ForceDelete extends Action {
        String method() { return "DELETE"; }
        String endpoint() { return "forceDeleteGlobalSession"; }
        String done() { return "ended (Finished), row locks released"; }
    }
}
