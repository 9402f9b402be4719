package io.tessera.coordinator.tc.adapter;

import io.tessera.coordinator.cluster.ClusterMember;
import io.tessera.coordinator.cluster.ClusterView;
import io.tessera.coordinator.cluster.Role;
import io.tessera.coordinator.config.MemberSpec;
import io.tessera.raft.group.RaftGroup;
import java.util.List;
import java.util.Optional;

/** The control port's view of the cluster, read from the jraft node (members come from the config). */
public final class RaftClusterView implements ClusterView {
    private final String nodeId;
    private final String group;
    private final List<MemberSpec> members;
    private final RaftGroup raft;

    public RaftClusterView(String nodeId, String group, List<MemberSpec> members, RaftGroup raft) {
        this.nodeId = nodeId;
        this.group = group;
        this.members = List.copyOf(members);
        this.raft = raft;
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
        return raft.leaderEndpoint().isPresent() ? Role.FOLLOWER : Role.CANDIDATE;
    }

    @Override
    public long term() {
        return raft.currentTerm();
    }

    @Override
    public Optional<String> leaderNodeId() {
        return raft.leaderEndpoint().flatMap(ep -> members.stream()
                .filter(m -> m.raft().toString().equals(ep)).map(MemberSpec::id).findFirst());
    }

    @Override
    public List<ClusterMember> members() {
        Optional<String> leader = leaderNodeId();
        return members.stream().map(m -> new ClusterMember(m.id(), m.control(), m.transaction(), m.raft(),
                roleOf(m, leader))).toList();
    }

    private Role roleOf(MemberSpec m, Optional<String> leader) {
        if (m.id().equals(nodeId)) {
            return role();
        }
        if (leader.isEmpty()) {
            return Role.UNKNOWN;
        }
        return leader.get().equals(m.id()) ? Role.LEADER : Role.FOLLOWER;
    }

    @Override
    public long lastAppliedIndex() {
        return raft.lastAppliedIndex();
    }

    @Override
    public Optional<String> haltReason() {
        return raft.haltReason();
    }

    @Override
    public void addChangeListener(Runnable listener) {
        raft.addLeaderChangeListener((t, leader) -> listener.run());
    }
}
