package io.tessera.compat.failover;

import io.tessera.compat.failover.TxLoad.Outcome;
import io.tessera.compat.failover.TxLoad.TxRecord;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

/**
 * What the client saw around one kill, measured from the records (never asserted on timing).
 *
 * <p>The kill -9 takes effect between the script's start ({@code killNanos}) and the first poll the
 * victim no longer answered ({@code unresponsiveNanos}, polled every 10 ms); the script returns later
 * still ({@code deadNanos}, once the process is reaped). "First new commit" counts only transactions
 * begun after the victim stopped answering and is reported from all three instants; the one from
 * {@code unresponsiveNanos} is the time from the kill (within the 10 ms poll).
 *
 * @param movedAfterMs from the kill to the begin of the first committed transaction from which on every
 *     committed transaction of the window was begun on the leader after the kill; empty if none was
 */
record KillStats(KillEvent kill, OptionalLong firstNewCommitMs, OptionalLong firstNewCommitAfterDeadMs,
        OptionalLong firstNewCommitAfterUnresponsiveMs,
        String firstNewCommitXid, OptionalLong movedAfterMs, int inFlight, long maxStallMs, long medianStallMs,
        List<TxRecord> failed) {

    static KillStats of(KillEvent kill, List<TxRecord> records, String leaderAfterAddress) {
        List<TxRecord> committed = records.stream()
                .filter(r -> r.outcome() == Outcome.COMMITTED && r.startNanos() >= kill.unresponsiveNanos()
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
                first == null ? OptionalLong.empty() : OptionalLong.of(ms(first.endNanos() - kill.unresponsiveNanos())),
                first == null ? null : first.xid(), moved,
                stalls.size(), stalls.isEmpty() ? 0 : stalls.get(stalls.size() - 1),
                stalls.isEmpty() ? 0 : stalls.get(stalls.size() / 2), failed);
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    /** Failures of transactions begun once the victim had died (none of their requests was on its sockets). */
    List<TxRecord> failedNew() {
        return failed.stream().filter(r -> r.startNanos() >= kill.unresponsiveNanos()).toList();
    }

    /** Transactions in flight at the kill that the client still saw committed (a commit retried on the new leader among them). */
    static long inFlightCommitted(KillEvent kill, List<TxRecord> records) {
        return records.stream().filter(r -> r.overlaps(kill.killNanos()) && r.outcome() == Outcome.COMMITTED).count();
    }

    /** Failures of transactions that had begun before the kill (a request of theirs may have been on the victim). */
    List<TxRecord> failedInFlight() {
        return failed.stream().filter(r -> r.startNanos() < kill.killNanos()).toList();
    }

    String line() {
        return String.format("kill %s (%s, %d extra elections) -> leader %s; unresponsive after %d ms, process gone after %d ms, "
                        + "leader seen after %d ms, caught up after %d ms; first new commit after %s ms (%s ms after "
                        + "unresponsive, %s ms after the process was gone); "
                        + "client on the new leader for good from %s ms; in flight %d, stall median %d ms max %d ms; "
                        + "failed %d (%d in flight at the kill, %d begun after it)",
                kill.victim(), kill.wasLeader() ? "leader" : "follower", kill.extraElections(), kill.leaderAfter(),
                ms(kill.unresponsiveNanos() - kill.killNanos()), ms(kill.deadNanos() - kill.killNanos()),
                ms(kill.leaderSeenNanos() - kill.killNanos()), ms(kill.caughtUpNanos() - kill.killNanos()),
                text(firstNewCommitMs), text(firstNewCommitAfterUnresponsiveMs), text(firstNewCommitAfterDeadMs),
                text(movedAfterMs), inFlight, medianStallMs, maxStallMs, failed.size(), failedInFlight().size(),
                failedNew().size());
    }

    private static String text(OptionalLong v) {
        return v.isPresent() ? String.valueOf(v.getAsLong()) : "-";
    }
}
