package io.tessera.raft.group;

import java.util.Optional;

/**
 * Every change of the leader this node knows: it became leader, lost leadership, started or stopped
 * following. Delivered in order on the group's event thread right after jraft reports the change, so a
 * registry can release long-poll watches without polling.
 */
public interface LeaderChangeListener {
    /**
     * @param term the term the change belongs to
     * @param leaderEndpoint the leader's "host:port", empty while no leader is known
     */
    void onLeaderChange(long term, Optional<String> leaderEndpoint);
}
