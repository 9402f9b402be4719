package io.tessera.compat.chaos;

import static org.awaitility.Awaitility.await;

import io.tessera.compat.chaos.ChaosClient.PhaseTwo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.apache.seata.core.model.GlobalStatus;
import org.apache.seata.tm.api.GlobalTransactionContext;

/**
 * The end-of-run checks over what the client saw ({@link TxHistory}), what the RMs were asked
 * ({@link PhaseTwo}, with arrival time and sending node) and what the cluster holds (each transaction's
 * status as the leader answers it to the TM, the replicas' state digests). Every violation names its
 * transaction; the run prints the full history of each.
 */
final class ChaosChecker {
    record Violation(String xid, String what) {
    }

    /** Keys a transaction surely held (or, for a grant, the window its register request was in flight). */
    private record Hold(TxHistory tx, Set<String> keys, long from, long to) {
    }

    static final Set<GlobalStatus> FINAL = EnumSet.of(GlobalStatus.Committed, GlobalStatus.Rollbacked,
            GlobalStatus.TimeoutRollbacked, GlobalStatus.CommitFailed, GlobalStatus.RollbackFailed, GlobalStatus.Finished);
    private static final Set<GlobalStatus> ROLLED_BACK = EnumSet.of(GlobalStatus.Rollbacked, GlobalStatus.TimeoutRollbacked);

    /** Phase-two calls the RMs received, per xid. */
    interface PhaseTwoLog {
        List<PhaseTwo> callsFor(String xid);
    }

    private final List<TxHistory> txs;
    private final PhaseTwoLog client;
    /** Lock grants the lock check could judge (their request and answer both inside another's sure hold or not). */
    int lockGrantsJudged;
    final Map<String, GlobalStatus> finals = new ConcurrentHashMap<>();
    final List<Violation> violations = new ArrayList<>();

    ChaosChecker(List<TxHistory> txs, PhaseTwoLog client) {
        this.txs = txs.stream().filter(t -> t.xid != null).toList();
        this.client = client;
    }

    /**
     * Polls every begun transaction's status until all are final or {@code deadlineNanos} passes (the bound
     * stated by the caller: the transaction timeout plus a margin after the last fault was healed).
     */
    void awaitFinal(long deadlineNanos) {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            Duration bound = Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
            await().atMost(bound).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                    .until(() -> reloadOpen(pool).isEmpty());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            for (String x : open()) {
                violations.add(new Violation(x, "not final within the bound: status " + finals.get(x)));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private List<String> open() {
        return txs.stream().map(t -> t.xid).filter(x -> !FINAL.contains(finals.get(x))).distinct().toList();
    }

    /** Reads the status of every transaction not yet final; @return those still not final. */
    private List<String> reloadOpen(ExecutorService pool) throws InterruptedException {
        pool.invokeAll(open().stream().map(x -> (Callable<Void>) () -> {
            try {
                finals.put(x, GlobalTransactionContext.reload(x).getStatus());
            } catch (Exception e) {
                finals.remove(x);
            }
            return null;
        }).toList());
        return open();
    }

    /** Waits (bounded) until every branch of a final transaction got the phase two its final status calls for. */
    void awaitPhaseTwo(Duration atMost) {
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> missingPhaseTwo().isEmpty());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            missingPhaseTwo().forEach((x, b) -> violations.add(new Violation(x, "branches " + b + " never got the phase two of "
                    + finals.get(x))));
        }
    }

    private Map<String, List<Long>> missingPhaseTwo() {
        Map<String, List<Long>> missing = new HashMap<>();
        for (TxHistory t : txs) {
            GlobalStatus fin = finals.get(t.xid);
            if (fin != GlobalStatus.Committed && !ROLLED_BACK.contains(fin)) {
                continue;
            }
            boolean commit = fin == GlobalStatus.Committed;
            List<PhaseTwo> calls = client.callsFor(t.xid);
            for (TxHistory.Branch b : t.branches) {
                if (calls.stream().noneMatch(c -> c.branchId() == b.branchId() && c.commit() == commit)) {
                    missing.computeIfAbsent(t.xid, k -> new ArrayList<>()).add(b.branchId());
                }
            }
        }
        return missing;
    }

    /** The outcome checks: client answers, phase-two calls and final statuses agree. */
    void checkOutcomes() {
        for (TxHistory t : txs) {
            GlobalStatus fin = finals.get(t.xid);
            List<PhaseTwo> calls = client.callsFor(t.xid);
            if (t.sawCommitted() && fin != GlobalStatus.Committed) {
                violations.add(new Violation(t.xid, "client was answered " + t.answered + ", the cluster says " + fin));
            }
            if (t.sawRolledBack() && !ROLLED_BACK.contains(fin)) {
                violations.add(new Violation(t.xid, "client was answered Rollbacked, the cluster says " + fin));
            }
            if (TxHistory.ROLLBACK_DECIDED.contains(t.answered) && fin == GlobalStatus.Committed) {
                violations.add(new Violation(t.xid, "answered " + t.answered + " but the cluster says Committed"));
            }
            if (!t.endedWithCommit && fin == GlobalStatus.Committed) {
                violations.add(new Violation(t.xid, "the client rolled back (or never committed) yet the cluster says Committed"));
            }
            Map<Long, Set<Boolean>> byBranch = calls.stream().collect(Collectors.groupingBy(PhaseTwo::branchId,
                    Collectors.mapping(PhaseTwo::commit, Collectors.toSet())));
            byBranch.forEach((branch, kinds) -> {
                if (kinds.size() == 2) {
                    violations.add(new Violation(t.xid, "branch " + branch + " got both BranchCommit and BranchRollback"));
                }
            });
            // term fencing, as far as the records show it: a decision a deposed leader made and that did not
            // survive would reach an RM as a phase two contradicting the final status
            for (PhaseTwo c : calls) {
                if (c.commit() && fin != GlobalStatus.Committed) {
                    violations.add(new Violation(t.xid, "BranchCommit from " + c.sender() + " but final status " + fin));
                }
                if (!c.commit() && fin == GlobalStatus.Committed) {
                    violations.add(new Violation(t.xid, "BranchRollback from " + c.sender() + " but final status Committed"));
                }
            }
        }
    }

    /**
     * No AT lock key held by two transactions at once. A holder T surely holds its keys from the answer to its
     * register until it sends its commit (the TC frees them at the commit decision, which follows) or, when
     * rolled back, until its first BranchRollback arrives (the TC frees them after the undo). Another U whose
     * register, for an overlapping key, was sent after T's was answered and was answered before T's sure end,
     * was granted a lock T held: a violation. Grants whose request/answer window straddles T's are not
     * judged (the TC may have granted them just outside T's hold).
     */
    void checkLocks() {
        List<Hold> holds = new ArrayList<>();
        List<Hold> grants = new ArrayList<>();
        for (TxHistory t : txs) {
            for (TxHistory.Branch b : t.branches) {
                if (b.lockKey() == null) {
                    continue;
                }
                Set<String> keys = keys(b.lockKey());
                long end = client.callsFor(t.xid).stream().filter(c -> !c.commit() && c.branchId() == b.branchId())
                        .mapToLong(PhaseTwo::nanos).min().orElse(t.endedWithCommit && t.endSentNanos != 0 ? t.endSentNanos : 0);
                if (end != 0) {
                    holds.add(new Hold(t, keys, b.answeredNanos(), end));
                }
                grants.add(new Hold(t, keys, b.sentNanos(), b.answeredNanos()));
                lockGrantsJudged++;
            }
        }
        Map<String, List<Hold>> holdsByKey = new HashMap<>();
        for (Hold h : holds) {
            for (String k : h.keys()) {
                holdsByKey.computeIfAbsent(k, x -> new ArrayList<>()).add(h);
            }
        }
        holdsByKey.values().forEach(l -> l.sort(java.util.Comparator.comparingLong(Hold::from)));
        Set<String> reported = new java.util.HashSet<>();
        for (Hold g : grants) {
            for (String k : g.keys()) {
                List<Hold> onKey = holdsByKey.getOrDefault(k, List.of());
                // the holds that began before this grant's request, latest first (in a correct run the sure
                // holds of one key do not overlap, so a few suffice)
                int i = lastFromAtOrBefore(onKey, g.from());
                for (int j = i; j >= 0 && j > i - 8; j--) {
                    Hold h = onKey.get(j);
                    if (h.tx() != g.tx() && g.to() <= h.to() && reported.add(g.tx().xid + "/" + h.tx().xid)) {
                        violations.add(new Violation(g.tx().xid, "lock " + k + " granted while " + h.tx().xid
                                + " held it (" + ChaosClock.stamp(h.from()) + ".." + ChaosClock.stamp(h.to()) + ")"));
                        violations.add(new Violation(h.tx().xid, "held lock " + k + " granted meanwhile to " + g.tx().xid));
                    }
                }
            }
        }
    }

    private static int lastFromAtOrBefore(List<Hold> sorted, long nanos) {
        int lo = 0;
        int hi = sorted.size() - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long from = sorted.get(mid).from();
            if (from <= nanos) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    private static Set<String> keys(String lockKey) {
        Set<String> keys = new java.util.HashSet<>();
        for (String table : lockKey.split(";")) {
            String[] parts = table.split(":", 2);
            for (String pk : parts[1].split(",")) {
                keys.add(parts[0] + ":" + pk);
            }
        }
        return keys;
    }

    int phaseTwoCount(String xid) {
        return client.callsFor(xid).size();
    }

    /** Prints every violation with the full history of its transaction: client view, phase-two calls, final status. */
    String report() {
        Map<String, TxHistory> byXid = txs.stream().collect(Collectors.toMap(t -> t.xid, t -> t, (a, b) -> a));
        StringBuilder b = new StringBuilder();
        for (Violation v : violations) {
            b.append("CHAOS VIOLATION ").append(v.xid()).append(": ").append(v.what()).append('\n');
            b.append("CHAOS   client: ").append(byXid.get(v.xid())).append('\n');
            b.append("CHAOS   phase two: ").append(client.callsFor(v.xid())).append('\n');
            b.append("CHAOS   final: ").append(finals.get(v.xid())).append('\n');
        }
        return b.toString();
    }
}
