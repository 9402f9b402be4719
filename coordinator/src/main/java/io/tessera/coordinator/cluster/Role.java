package io.tessera.coordinator.cluster;

/** A node's role as the control port reports it. UNKNOWN until the Raft group says otherwise. */
public enum Role {
    LEADER,
    FOLLOWER,
    CANDIDATE,
    LEARNER,
    UNKNOWN;

    /**
     * The role name Seata's raft registry understands (LEADER, FOLLOWER, LEARNER, MEMBER). Clients
     * only look for LEADER; a node in an election is still a voter, so it is reported as FOLLOWER.
     */
    public String metadataName() {
        return switch (this) {
            case LEADER -> "LEADER";
            case LEARNER -> "LEARNER";
            case FOLLOWER, CANDIDATE -> "FOLLOWER";
            case UNKNOWN -> "MEMBER";
        };
    }
}
