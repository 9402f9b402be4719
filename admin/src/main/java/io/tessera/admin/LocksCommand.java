package io.tessera.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code locks list|check|delete}: AT row locks through the console API (admin role). */
@Command(name = "locks", description = "AT row locks: list, check a branch, release a branch's locks (admin role).",
        subcommands = {LocksCommand.ListLocks.class, LocksCommand.Check.class, LocksCommand.Delete.class})
final class LocksCommand implements Runnable {
    static final String QUERY = "/api/v1/console/globalLock/query";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "choose a command: list, check or delete");
    }

    @Command(name = "list", description = "Held row locks with filters (exact matches).")
    static final class ListLocks implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ConsoleTarget target;

        @Option(names = "--xid") String xid;
        @Option(names = "--table") String table;
        @Option(names = "--pk") String pk;
        @Option(names = "--resource") String resource;
        @Option(names = "--branch") Long branch;
        @Option(names = "--page", defaultValue = "1") int page;
        @Option(names = "--size", defaultValue = "50", description = "page size, 1..100 (default: ${DEFAULT-VALUE})") int size;

        @Override
        public Integer call() {
            JsonNode answer = target.client().console("GET", ConsoleTarget.query(QUERY, "pageNum", page, "pageSize", size,
                    "xid", xid, "tableName", table, "pk", pk, "resourceId", resource, "branchId", branch));
            PrintWriter out = spec.commandLine().getOut();
            if (target.printedJson(out, answer)) {
                return 0;
            }
            out.printf("%d row lock(s), page %d of %d%n", answer.path("total").asLong(), page,
                    Math.max(1, answer.path("pages").asLong()));
            out.printf("%-30s %-20s %-16s %-36s %s%n", "RESOURCE", "TABLE", "PK", "XID", "BRANCH");
            for (JsonNode l : answer.path("data")) {
                out.printf("%-30s %-20s %-16s %-36s %s%n", l.path("resourceId").asText(), l.path("tableName").asText(),
                        l.path("pk").asText(), l.path("xid").asText(), l.path("branchId").asText());
            }
            return 0;
        }
    }

    @Command(name = "check", description = "Whether XID is live and has the branch BRANCH (Seata's globalLock/check).")
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ConsoleTarget target;

        @Parameters(index = "0", paramLabel = "XID") String xid;
        @Parameters(index = "1", paramLabel = "BRANCH") long branch;

        @Override
        public Integer call() {
            JsonNode answer = target.client().console("GET", ConsoleTarget.query("/api/v1/console/globalLock/check",
                    "xid", xid, "branchId", branch));
            PrintWriter out = spec.commandLine().getOut();
            if (!target.printedJson(out, answer)) {
                out.println(answer.path("data").asBoolean() ? xid + " has branch " + branch
                        : xid + " has no live branch " + branch);
            }
            return 0;
        }
    }

    @Command(name = "delete", description = {"Release every row lock of branch BRANCH of XID (Seata's globalLock/delete);",
            "the transaction stays. Dirty writes become possible: use only for a transaction that will not roll back."})
    static final class Delete implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ConsoleTarget target;

        @Parameters(index = "0", paramLabel = "XID") String xid;
        @Parameters(index = "1", paramLabel = "BRANCH") long branch;

        @Override
        public Integer call() {
            ClusterClient client = target.client();
            // Seata's endpoint names one row of the branch (its front end sends the table row clicked).
            JsonNode rows = client.console("GET", ConsoleTarget.query(QUERY, "pageNum", 1, "pageSize", 1, "xid", xid,
                    "branchId", branch));
            if (rows.path("data").isEmpty()) {
                throw new AdminException("branch " + branch + " of " + xid + " holds no row lock");
            }
            JsonNode row = rows.path("data").get(0);
            JsonNode answer = client.console("DELETE", ConsoleTarget.query("/api/v1/console/globalLock/delete", "xid", xid,
                    "branchId", branch, "resourceId", row.path("resourceId").asText(), "tableName",
                    row.path("tableName").asText(), "pk", row.path("pk").asText()));
            PrintWriter out = spec.commandLine().getOut();
            if (!target.printedJson(out, answer)) {
                out.println("released " + rows.path("total").asLong() + " row lock(s) of branch " + branch + " of " + xid);
            }
            return 0;
        }
    }
}
