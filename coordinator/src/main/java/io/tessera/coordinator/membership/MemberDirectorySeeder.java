package io.tessera.coordinator.membership;

import io.tessera.coordinator.config.MemberSpec;
import io.tessera.coordinator.tc.port.TxLog;
import io.tessera.raft.group.ProposalOptions;
import io.tessera.raft.group.LeaderListener;
import io.tessera.raft.tx.TxCommands;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader-only: gives every member of the configuration an entry in the member directory. A cluster
 * bootstrapped from {@code cluster.members}, or one that ran before the directory existed, has members
 * only this node's configuration describes; the leader records them (from its configured list), so every
 * node, a node added later included, can publish their endpoints. jraft calls onLeaderStart once every
 * earlier entry is applied here, so the directory read then is complete. A failed proposal is retried
 * every second while this node leads in the same term. A member that neither the directory nor the
 * configured list knows is reported once per term; {@code tessera-admin member add} records it.
 */
final class MemberDirectorySeeder implements LeaderListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MemberDirectorySeeder.class);
    private static final long RETRY_MS = 1_000;

    private final ClusterMembers members;
    private final TxLog log;
    private final ProposalOptions proposal;
    private final TxCommands commands;
    private final ScheduledExecutorService scheduler;
    private final String nodeId;
    private volatile long term = -1;

    MemberDirectorySeeder(ClusterMembers members, TxLog log, ProposalOptions proposal, TxCommands commands,
            ScheduledExecutorService scheduler, String nodeId) {
        this.members = members;
        this.log = log;
        this.proposal = proposal;
        this.commands = commands;
        this.scheduler = scheduler;
        this.nodeId = nodeId;
    }

    @Override
    public void onLeaderStart(long newTerm) {
        term = newTerm;
        scheduler.execute(() -> seed(newTerm, new HashSet<>()));
    }

    @Override
    public void onLeaderStop(long oldTerm) {
        term = -1;
    }

    private void seed(long t, Set<String> reported) {
        if (term != t) {
            return;
        }
        List<KnownMember> missing = members.current().stream()
                .filter(m -> m.source() != KnownMember.Source.DIRECTORY).toList();
        CompletableFuture<?> all = CompletableFuture.completedFuture(null);
        for (KnownMember m : missing) {
            if (m.spec().isEmpty()) {
                if (reported.add(m.raftEndpoint())) {
                    LOG.warn("member at raft endpoint {} has no endpoints in the member directory and is not in this "
                            + "node's cluster.members; the registry metadata leaves it out until `tessera-admin member "
                            + "add` records it", m.raftEndpoint());
                }
                continue;
            }
            MemberSpec s = m.spec().get();
            all = all.thenCompose(v -> log.propose(commands.setMember(s.id(), s.host(), s.controlPort(),
                    s.transactionPort(), s.raftPort(), nodeId + ": from cluster.members, leader of term " + t),
                    proposal));
        }
        all.whenComplete((v, e) -> {
            if (e != null && term == t) {
                LOG.warn("member directory not completed yet ({}); retrying in {} ms",
                        MembershipService.root(e).toString(), RETRY_MS);
                scheduler.schedule(() -> seed(t, reported), RETRY_MS, TimeUnit.MILLISECONDS);
            }
        });
    }

    @Override
    public void close() {
        term = -1;
    }
}
