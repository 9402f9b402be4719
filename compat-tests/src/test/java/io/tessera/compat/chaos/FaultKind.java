package io.tessera.compat.chaos;

/** The faults the harness injects; the names are what {@code --faults} / {@code -Dchaos.faults} take. */
enum FaultKind {
    /** kill -9 the leader, restart it after the hold. */
    KILL_LEADER(false),
    /** kill -9 a follower, restart it after the hold. */
    KILL_FOLLOWER(false),
    /** SIGSTOP the leader longer than the election timeout, then SIGCONT: a deposed leader wakes up. */
    PAUSE_LEADER(false),
    PAUSE_FOLLOWER(false),
    /** The leader's raft traffic to and from both followers dropped; clients still reach it. */
    ISOLATE_LEADER(true),
    /** One node (any role) cut from the other two on the raft ports: a 1|2 split. */
    SPLIT(true),
    /** What the leader sends to one follower's raft port is dropped; the other direction flows. */
    ONE_WAY(true),
    /** Busy processes on every core for the hold; leader changes during it are counted (they are needless). */
    CPU_STARVE(false),
    /** Two at once: a paused follower or CPU starvation under a leader kill, isolation or pause. */
    COMBO(false);

    private final boolean netfilter;

    FaultKind(boolean netfilter) {
        this.netfilter = netfilter;
    }

    boolean needsNetfilter() {
        return netfilter;
    }
}
