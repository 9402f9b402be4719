package io.tessera.raft.group;

/**
 * Leadership changes, delivered off the apply thread in order. onLeaderStart is called once this node
 * has applied every entry of earlier terms, so leader-only work sees the complete state.
 */
public interface LeaderListener {
    void onLeaderStart(long term);

    void onLeaderStop(long term);
}
