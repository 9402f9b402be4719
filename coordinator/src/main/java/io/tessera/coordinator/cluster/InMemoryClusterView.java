package io.tessera.coordinator.cluster;

import io.tessera.coordinator.config.MemberSpec;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A cluster view held in memory and changed by {@link #update}. Used by a node running without its
 * Raft group (role UNKNOWN, term 0, no leader) and by tests that need to move term and leader.
 */
public final class InMemoryClusterView implements ClusterView {

    private record State(long term, String leaderId, Role selfRole, long lastApplied) {
    }

    private final String nodeId;
    private final String group;
    private final List<MemberSpec> specs;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile State state = new State(0, null, Role.UNKNOWN, 0);
    private volatile String haltReason;

    public InMemoryClusterView(String nodeId, String group, List<MemberSpec> specs) {
        this.nodeId = nodeId;
        this.group = group;
        this.specs = List.copyOf(specs);
    }

    /** Sets term and leader (null = none known); roles follow from the leader. Notifies listeners. */
    public void update(long term, String leaderId) {
        synchronized (this) {
            Role self = leaderId == null ? Role.CANDIDATE : leaderId.equals(nodeId) ? Role.LEADER : Role.FOLLOWER;
            state = new State(Math.max(term, state.term), leaderId, self, state.lastApplied);
        }
        listeners.forEach(Runnable::run);
    }

    /** Marks the replica halted with {@code reason} (null = working again). */
    public void setHaltReason(String reason) {
        haltReason = reason;
    }

    @Override
    public Optional<String> haltReason() {
        return Optional.ofNullable(haltReason);
    }

    public void setLastAppliedIndex(long index) {
        synchronized (this) {
            State s = state;
            state = new State(s.term, s.leaderId, s.selfRole, index);
        }
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public String group() {
        return group;
    }

    @Override
    public Role role() {
        return state.selfRole;
    }

    @Override
    public long term() {
        return state.term;
    }

    @Override
    public Optional<String> leaderNodeId() {
        return Optional.ofNullable(state.leaderId);
    }

    @Override
    public List<ClusterMember> members() {
        State s = state;
        return specs.stream().map(m -> new ClusterMember(m.id(), m.control(), m.transaction(), m.raft(),
                roleOf(m.id(), s))).toList();
    }

    private Role roleOf(String id, State s) {
        if (s.leaderId == null) {
            return id.equals(nodeId) ? s.selfRole : Role.UNKNOWN;
        }
        return id.equals(s.leaderId) ? Role.LEADER : Role.FOLLOWER;
    }

    @Override
    public long lastAppliedIndex() {
        return state.lastApplied;
    }

    @Override
    public void addChangeListener(Runnable listener) {
        listeners.add(listener);
    }
}
