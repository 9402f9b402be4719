package io.tessera.compat.matrix.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client side of one compatibility-matrix cell, run in a JVM of its own with exactly one Seata
 * client release on its classpath (seata-all keeps its clients, configuration and resource managers in
 * static singletons, and releases cannot share a classpath). Everything Seata reads from configuration
 * arrives as system properties, which its FileConfiguration reads before registry.conf/file.conf.
 *
 * <p>Modes (first argument):
 * <ul>
 *   <li>{@code scenario}: TM and RM up, a TCC participant with two resources; one global transaction
 *       with two branches committed, one rolled back, and phase two seen on both branches each time.</li>
 *   <li>{@code refused}: only begin a transaction, expecting registration to fail; reports how long
 *       that took and the error (the coordinator's reason, if any, is in this JVM's log).</li>
 * </ul>
 * Results go to stdout as {@code MATRIX key=value} lines for the test; exit 0 when the mode's steps
 * ran, 1 otherwise. System properties: {@code matrix.package}, {@code matrix.app}, {@code matrix.group},
 * {@code matrix.resources} (comma-separated), {@code matrix.refusedRm}.
 */
public final class MatrixClient {
    private static final Duration PHASE_TWO_WAIT = Duration.ofSeconds(20);

    private final SeataApi seata = new SeataApi(System.getProperty("matrix.package"));
    private final String app = System.getProperty("matrix.app");
    private final String group = System.getProperty("matrix.group");
    private final List<String> resources = List.of(System.getProperty("matrix.resources", "").split(","));
    /** xid → "commit:<resource>"/"rollback:<resource>" seen (a retried call counts once). */
    private final Map<String, Set<String>> phaseTwo = new ConcurrentHashMap<>();

    public static void main(String[] args) {
        int exit = 1;
        try {
            MatrixClient client = new MatrixClient();
            report("clientVersion", client.seata.clientVersion());
            exit = switch (args[0]) {
                case "scenario" -> client.scenario();
                case "refused" -> client.refused();
                default -> throw new IllegalArgumentException("mode " + args[0]);
            };
        } catch (Throwable t) {
            report("error", oneLine(t));
            t.printStackTrace();
        } finally {
            System.out.flush();
            // The client's timers and Netty threads are not daemons and it has no full shutdown.
            Runtime.getRuntime().halt(exit);
        }
    }

    private int scenario() throws InterruptedException {
        seata.initTm(app, group);
        seata.initRm(app, group);
        seata.installTcc(group, this::answerPhaseTwo, resources.toArray(String[]::new));
        report("registered", "TM,RM");
        return run(true) && run(false) ? 0 : 1;
    }

    /** One global transaction with a branch on every resource, ended with commit or rollback. */
    private boolean run(boolean commit) throws InterruptedException {
        String step = commit ? "commit" : "rollback";
        Object tx = seata.newGlobalTransaction();
        String xid = seata.begin(tx, 60_000, "matrix-" + step);
        report(step + ".xid", xid);
        for (String resource : resources) {
            seata.registerTccBranch(xid, resource, "{\"matrix\":\"" + step + "\"}");
        }
        report(step + ".status", seata.end(tx, commit));
        long deadline = System.nanoTime() + PHASE_TWO_WAIT.toNanos();
        synchronized (phaseTwo) {
            while (calls(xid).size() < resources.size() && System.nanoTime() < deadline) {
                phaseTwo.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
        }
        List<String> seen = calls(xid);
        report(step + ".phaseTwo", String.join(",", seen));
        String expected = commit ? "commit" : "rollback";
        return seen.size() == resources.size() && seen.stream().allMatch(c -> c.startsWith(expected + ":"));
    }

    private String answerPhaseTwo(boolean commit, String xid, long branchId, String resourceId) {
        synchronized (phaseTwo) {
            phaseTwo.computeIfAbsent(xid, x -> new TreeSet<>()).add((commit ? "commit:" : "rollback:") + resourceId);
            phaseTwo.notifyAll();
        }
        return commit ? "PhaseTwo_Committed" : "PhaseTwo_Rollbacked";
    }

    private List<String> calls(String xid) {
        synchronized (phaseTwo) {
            return List.copyOf(phaseTwo.getOrDefault(xid, Set.of()));
        }
    }

    /**
     * TM: 2.2.0+ connect (and register) while TMClient.init runs, older releases on the first begin.
     * With {@code matrix.refusedRm=true} the RM then registers a resource too, which makes it connect
     * and register on every node (it logs failures rather than throwing).
     */
    private int refused() {
        long start = System.nanoTime();
        try {
            seata.initTm(app, group);
            String xid = seata.begin(seata.newGlobalTransaction(), 60_000, "matrix-refused");
            report("refused.xid", xid);
            return 1;
        } catch (RuntimeException e) {
            report("refused.ms", Long.toString((System.nanoTime() - start) / 1_000_000));
            report("refused.error", oneLine(e));
        }
        if (Boolean.getBoolean("matrix.refusedRm")) {
            seata.initRm(app, group);
            seata.installTcc(group, (commit, xid, branchId, resourceId) -> "PhaseTwo_Committed", resources.get(0));
            report("refusedRm", "done");
        }
        return 0;
    }

    private static void report(String key, String value) {
        System.out.println("MATRIX " + key + "=" + value);
    }

    private static String oneLine(Throwable t) {
        return String.valueOf(t).replaceAll("\\s+", " ");
    }
}
