package io.tessera.coordinator.membership;

import io.tessera.coordinator.config.MemberSpec;
import io.tessera.raft.group.GroupConfiguration;
import io.tessera.raft.tx.MemberRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Who the members are, joined from three sources. jraft's configuration decides membership (voters,
 * learners) but knows raft endpoints only; the replicated member directory gives each raft endpoint its
 * node id and control and transaction ports; this node's configured member list ({@code cluster.members})
 * fills in for members the directory does not know yet (a cluster that ran before the directory existed,
 * until its leader records them). Stateless: every call reads the current sources.
 */
public final class ClusterMembers {
    private final Supplier<GroupConfiguration> configuration;
    private final Supplier<List<MemberRecord>> directory;
    private final List<MemberSpec> configured;

    public ClusterMembers(Supplier<GroupConfiguration> configuration, Supplier<List<MemberRecord>> directory,
            List<MemberSpec> configured) {
        this.configuration = configuration;
        this.directory = directory;
        this.configured = List.copyOf(configured);
    }

    /** The configuration's members (voters first, then learners, in jraft's order). */
    public List<KnownMember> current() {
        return members(false);
    }

    /** {@link #current()} plus directory entries outside the configuration (for operators). */
    public List<KnownMember> withDirectoryLeftovers() {
        return members(true);
    }

    private List<KnownMember> members(boolean leftovers) {
        GroupConfiguration conf = configuration.get();
        Map<String, MemberSpec> byRaft = directoryByRaft();
        List<KnownMember> out = new ArrayList<>();
        for (String ep : conf.voters()) {
            out.add(resolve(ep, KnownMember.Kind.VOTER, byRaft));
        }
        for (String ep : conf.learners()) {
            out.add(resolve(ep, KnownMember.Kind.LEARNER, byRaft));
        }
        if (leftovers) {
            byRaft.forEach((ep, spec) -> {
                if (!conf.contains(ep)) {
                    out.add(new KnownMember(ep, Optional.of(spec), KnownMember.Kind.NOT_IN_CONFIGURATION,
                            KnownMember.Source.DIRECTORY));
                }
            });
        }
        return out;
    }

    private KnownMember resolve(String ep, KnownMember.Kind kind, Map<String, MemberSpec> byRaft) {
        MemberSpec fromDirectory = byRaft.get(ep);
        if (fromDirectory != null) {
            return new KnownMember(ep, Optional.of(fromDirectory), kind, KnownMember.Source.DIRECTORY);
        }
        Optional<MemberSpec> fromConfig = configured(ep);
        return new KnownMember(ep, fromConfig, kind,
                fromConfig.isPresent() ? KnownMember.Source.CONFIGURED : KnownMember.Source.UNKNOWN);
    }

    /** The configured member whose raft endpoint is {@code ep}. */
    public Optional<MemberSpec> configured(String ep) {
        return configured.stream().filter(m -> m.raft().toString().equals(ep)).findFirst();
    }

    /** A member (of the configuration or the directory) by node id or by raft endpoint. */
    public Optional<KnownMember> find(String nodeIdOrRaftEndpoint) {
        return withDirectoryLeftovers().stream().filter(m -> m.raftEndpoint().equals(nodeIdOrRaftEndpoint)
                || m.spec().map(s -> s.id().equals(nodeIdOrRaftEndpoint)).orElse(false)).findFirst();
    }

    /** The node id of the member at raft endpoint {@code ep}, if known. */
    public Optional<String> nodeIdOf(String ep) {
        MemberSpec s = directoryByRaft().get(ep);
        return s != null ? Optional.of(s.id()) : configured(ep).map(MemberSpec::id);
    }

    private Map<String, MemberSpec> directoryByRaft() {
        return directory.get().stream().collect(Collectors.toMap(MemberRecord::raftEndpoint, ClusterMembers::spec,
                (a, b) -> a, java.util.LinkedHashMap::new));
    }

    static MemberSpec spec(MemberRecord r) {
        return new MemberSpec(r.nodeId(), r.host(), r.controlPort(), r.transactionPort(), r.raftPort());
    }
}
