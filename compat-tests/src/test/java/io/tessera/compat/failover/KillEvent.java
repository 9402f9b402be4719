package io.tessera.compat.failover;

/**
 * One kill -9 during the load, with the instants (System.nanoTime) the test observed: the script
 * was invoked, the victim's control port first failed to answer (polled every 10 ms: the
 * kill took effect at most that long before), it returned (the process is gone), a leader other than the victim reported itself (for a follower kill: the same
 * leader), the victim was started again and had caught up. {@code windowEnd} is the next kill's
 * start or the end of the load.
 */
record KillEvent(String victim, boolean wasLeader, String leaderAfter, long killNanos, long unresponsiveNanos,
        long deadNanos, long leaderSeenNanos, long caughtUpNanos, long windowEnd, long termBefore, long termAfter) {
    KillEvent closedAt(long end) {
        return new KillEvent(victim, wasLeader, leaderAfter, killNanos, unresponsiveNanos, deadNanos, leaderSeenNanos,
                caughtUpNanos, end, termBefore, termAfter);
    }

    /** Elections in the window beyond the one the kill itself causes (a starved leader stepping down). */
    long extraElections() {
        return termAfter - termBefore - (wasLeader ? 1 : 0);
    }

    boolean inWindow(long nanos) {
        return killNanos <= nanos && nanos < windowEnd;
    }
}
