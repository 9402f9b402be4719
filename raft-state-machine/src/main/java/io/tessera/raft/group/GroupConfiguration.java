package io.tessera.raft.group;

import java.util.ArrayList;
import java.util.List;

/**
 * The group's configuration as this member knows it: voters (they elect the leader and count for commit)
 * and learners (they receive the log but never vote), raft endpoints "host:port" in jraft's order. It is
 * the latest configuration in this member's log, which during a change may be one not yet committed.
 */
public record GroupConfiguration(List<String> voters, List<String> learners) {
    public static final GroupConfiguration EMPTY = new GroupConfiguration(List.of(), List.of());

    public GroupConfiguration {
        voters = List.copyOf(voters);
        learners = List.copyOf(learners);
    }

    /** Voters, then learners. */
    public List<String> all() {
        List<String> all = new ArrayList<>(voters);
        all.addAll(learners);
        return all;
    }

    public boolean isVoter(String endpoint) {
        return voters.contains(endpoint);
    }

    public boolean isLearner(String endpoint) {
        return learners.contains(endpoint);
    }

    public boolean contains(String endpoint) {
        return isVoter(endpoint) || isLearner(endpoint);
    }

    public boolean isEmpty() {
        return voters.isEmpty() && learners.isEmpty();
    }

    @Override
    public String toString() {
        return learners.isEmpty() ? "voters " + voters : "voters " + voters + ", learners " + learners;
    }
}
