package io.tessera.compat.failover;

import io.tessera.compat.failover.TxLoad.Outcome;
import io.tessera.compat.failover.TxLoad.TxRecord;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

/**
 * What the client saw around one kill, measured from the records (never asserted on timing).
 *
 * <p>The kill -9 happens somewhere between the script's start ({@code killNanos}) and its return
 * ({@code deadNanos}, the process is gone). "First new commit" counts only transactions begun after
 * the process was gone, and is reported from both instants: from the script's start (an upper bound
 * of the real time from the kill) and from its return (a lower bound).
 *
 * @param movedAfterMs from the kill to the begin of the first committed transaction from which on every
 *     committed transaction of the window was begun on the leader after the kill; empty if none was
 */
record KillStats(KillEvent kill, OptionalLong firstNewCommitMs, OptionalLong firstNewCommitAfterDeadMs,
        String firstNewCommitXid, OptionalLong movedAfterMs, int inFlight, long maxStallMs, long medianStallMs,
        List<TxRecord> failed) {

    static KillStats of(KillEvent kill, List<TxRecord> records, String leaderAfterAddress) {
        List<TxRecord> committed = records.stream()
                .filter(r -> r.outcome() == Outcome.COMMITTED && r.startNanos() >= kill.deadNanos()
                        && r.endNanos() < kill.windowEnd())
                .sorted(Comparator.comparingLong(TxRecord::startNanos)).toList();
        TxRecord first = committed.stream().min(Comparator.comparingLong(TxRecord::endNanos)).orElse(null);
        OptionalLong moved = OptionalLong.empty();
        for (int i = committed.size() - 1; i >= 0; i--) {
            if (!committed.get(i).xid().startsWith(leaderAfterAddress + ":")) {
                break;
            }
            moved = OptionalLong.of(ms(committed.get(i).startNanos() - kill.killNanos()));
        }
        // In flight at the kill: started before it, ended after it; the stall is how long after the kill it ended.
        List<Long> stalls = records.stream().filter(r -> r.overlaps(kill.killNanos()))
                .map(r -> ms(r.endNanos() - kill.killNanos())).sorted().toList();
        List<TxRecord> failed = records.stream()
                .filter(r -> r.outcome() == Outcome.FAILED && kill.inWindow(r.endNanos())).toList();
        return new KillStats(kill,
                first == null ? OptionalLong.empty() : OptionalLong.of(ms(first.endNanos() - kill.killNanos())),
                first == null ? OptionalLong.empty() : OptionalLong.of(ms(first.endNanos() - kill.deadNanos())),
                first == null ? null : first.xid(), moved,
                stalls.size(), stalls.isEmpty() ? 0 : stalls.get(stalls.size() - 1),
                stalls.isEmpty() ? 0 : stalls.get(stalls.size() / 2), failed);
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    /** Failures of transactions begun once the victim's process was gone (none of their requests was on its sockets). */
    List<TxRecord> failedNew() {
        return failed.stream().filter(r -> r.startNanos() >= kill.deadNanos()).toList();
    }

    String line() {
        return String.format("kill %s (%s) -> leader %s; process gone after %d ms, leader seen after %d ms, "
                        + "caught up after %d ms; first new commit after %s ms (%s ms after the process was gone); "
                        + "client on the new leader for good from %s ms; in flight %d, stall median %d ms max %d ms; "
                        + "failed %d (%d begun after the process was gone)",
                kill.victim(), kill.wasLeader() ? "leader" : "follower", kill.leaderAfter(),
                ms(kill.deadNanos() - kill.killNanos()), ms(kill.leaderSeenNanos() - kill.killNanos()),
                ms(kill.caughtUpNanos() - kill.killNanos()), text(firstNewCommitMs), text(firstNewCommitAfterDeadMs),
                text(movedAfterMs), inFlight, medianStallMs, maxStallMs, failed.size(), failedNew().size());
    }

    private static String text(OptionalLong v) {
        return v.isPresent() ? String.valueOf(v.getAsLong()) : "-";
    }
}
