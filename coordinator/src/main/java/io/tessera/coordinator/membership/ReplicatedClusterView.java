package io.tessera.coordinator.membership;

import io.tessera.coordinator.cluster.ClusterMember;
import io.tessera.coordinator.cluster.ClusterView;
import io.tessera.coordinator.cluster.Role;
import io.tessera.coordinator.config.MemberSpec;
import io.tessera.raft.group.RaftGroup;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The control port's view of the cluster: leader and term from the Raft group, members from the group's
 * replicated configuration joined with the member directory ({@link ClusterMembers}). A member whose
 * endpoints nobody knows yet is left out (its control and transaction ports would be guesses).
 *
 * <p>Listeners hear every change of leader, term, configuration or directory. {@link #membershipVersion()}
 * counts changes of the member list itself, so the registry's watch can release clients on a membership
 * change that moves neither term nor leader.
 */
public final class ReplicatedClusterView implements ClusterView {
    private final String nodeId;
    private final String group;
    private final RaftGroup raft;
    private final ClusterMembers members;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong version = new AtomicLong();
    private volatile List<KnownMember> lastMembers = List.of();

    public ReplicatedClusterView(String nodeId, String group, RaftGroup raft, ClusterMembers members) {
        this.nodeId = nodeId;
        this.group = group;
        this.raft = raft;
        this.members = members;
        this.lastMembers = members.current();
        raft.addLeaderChangeListener((t, leader) -> changed());
        raft.addConfigurationListener(c -> changed());
    }

    /** Called when the member directory changed (an applied SetMember, a loaded snapshot). */
    public void directoryChanged() {
        changed();
    }

    private void changed() {
        synchronized (this) {
            // Events arrive on the group's event thread and the apply thread: compare and count under one lock.
            List<KnownMember> now = members.current();
            if (!now.equals(lastMembers)) {
                lastMembers = now;
                version.incrementAndGet();
            }
        }
        listeners.forEach(Runnable::run);
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
        if (raft.isLeader()) {
            return Role.LEADER;
        }
        String self = raft.selfEndpoint();
        if (raft.configuration().isLearner(self)) {
            return Role.LEARNER;
        }
        if (!raft.configuration().isVoter(self)) {
            // Joining and not added yet, or removed.
            return Role.UNKNOWN;
        }
        return raft.leaderEndpoint().isPresent() ? Role.FOLLOWER : Role.CANDIDATE;
    }

    @Override
    public long term() {
        return raft.currentTerm();
    }

    @Override
    public Optional<String> leaderNodeId() {
        return raft.leaderEndpoint().map(ep -> members.nodeIdOf(ep).orElse(ep));
    }

    @Override
    public List<ClusterMember> members() {
        Optional<String> leader = raft.leaderEndpoint();
        return members.current().stream().filter(m -> m.spec().isPresent())
                .map(m -> member(m, leader)).toList();
    }

    private ClusterMember member(KnownMember m, Optional<String> leader) {
        MemberSpec s = m.spec().orElseThrow();
        return new ClusterMember(s.id(), s.control(), s.transaction(), s.raft(), roleOf(m, leader));
    }

    private Role roleOf(KnownMember m, Optional<String> leader) {
        if (m.raftEndpoint().equals(raft.selfEndpoint())) {
            return role();
        }
        if (leader.isPresent() && leader.get().equals(m.raftEndpoint())) {
            return Role.LEADER;
        }
        if (m.kind() == KnownMember.Kind.LEARNER) {
            return Role.LEARNER;
        }
        return leader.isPresent() ? Role.FOLLOWER : Role.UNKNOWN;
    }

    @Override
    public long membershipVersion() {
        return version.get();
    }

    @Override
    public long lastAppliedIndex() {
        return raft.lastAppliedIndex();
    }

    @Override
    public long lastSnapshotIndex() {
        return raft.lastSnapshotIndex();
    }

    @Override
    public Optional<String> haltReason() {
        return raft.haltReason();
    }

    @Override
    public void addChangeListener(Runnable listener) {
        listeners.add(listener);
    }
}
