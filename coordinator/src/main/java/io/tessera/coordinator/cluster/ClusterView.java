package io.tessera.coordinator.cluster;

import java.util.List;
import java.util.Optional;

/**
 * What the control port publishes about the Raft group. Implemented over the jraft node in
 * production; {@link InMemoryClusterView} stands in until then and in tests.
 *
 * <p>Threading: every method may be called from Netty event loops; implementations must be
 * thread-safe and must not block.
 */
public interface ClusterView {

    String nodeId();

    /** The Raft group name (Seata's cluster name, e.g. {@code default}). */
    String group();

    /** This node's role. */
    Role role();

    /** The newest term this node knows. Never decreases. */
    long term();

    Optional<String> leaderNodeId();

    /** Every configured member, with the role this node believes it has. */
    List<ClusterMember> members();

    long lastAppliedIndex();

    /**
     * The log index of this replica's last snapshot (0: none): a restart replays what lies between it and
     * {@link #lastAppliedIndex()}.
     */
    default long lastSnapshotIndex() {
        return 0;
    }

    /**
     * Counts changes of the member list (a member added, promoted, removed, its endpoints changed); never
     * decreases. Term and leader do not count. The registry's watch releases clients when it moves.
     */
    default long membershipVersion() {
        return 0;
    }

    /**
     * Why this replica stopped applying entries (e.g. a failed disk write), empty while it works. A halted
     * node keeps answering /health, with 503 and this reason, until it is restarted.
     */
    default Optional<String> haltReason() {
        return Optional.empty();
    }

    /**
     * Called (on any thread, without locks held) after term, leader, role or membership changed.
     * Listeners must be quick; the control port uses it to release held watch requests.
     */
    void addChangeListener(Runnable listener);
}
