package io.tessera.coordinator.membership;

import io.tessera.coordinator.cluster.ClusterView;
import io.tessera.coordinator.config.NodeConfig;
import io.tessera.coordinator.control.ControlServer;
import io.tessera.coordinator.control.MembershipRoutes;
import io.tessera.coordinator.tc.port.TxLog;
import io.tessera.raft.group.ProposalOptions;
import io.tessera.raft.group.RaftGroup;
import io.tessera.raft.tx.TxCommands;
import io.tessera.raft.tx.TxStateMachine;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * One node's share of online membership: the cluster view the control port publishes, the admin API's
 * membership requests (executed on the leader), the leader's member-directory seeding, and the graceful
 * stop. Constructed before the group starts (it registers a peer service and a leader listener).
 */
public final class NodeMembership implements AutoCloseable {
    private final NodeConfig config;
    private final RaftGroup group;
    private final ReplicatedClusterView view;
    private final MembershipService service;
    private final MemberDirectorySeeder seeder;

    public NodeMembership(NodeConfig config, RaftGroup group, TxStateMachine stateMachine, TxLog log,
            TxCommands commands, ScheduledExecutorService scheduler, long proposalTimeoutMs) {
        // Member directory entries replace by node id: proposing one again to settle an unknown outcome is harmless.
        ProposalOptions proposal = ProposalOptions.idempotent(proposalTimeoutMs);
        this.config = config;
        this.group = group;
        ClusterMembers members = new ClusterMembers(group::configuration, stateMachine.view()::members,
                config.members());
        this.view = new ReplicatedClusterView(config.nodeId(), config.raftGroup(), group, members);
        stateMachine.addMemberDirectoryListener(view::directoryChanged);
        this.service = new MembershipService(config.self(), config.raftGroup(), group, members, scheduler);
        service.changes(new MembershipChanges(service, group, log, proposal, commands, members, scheduler));
        service.register();
        this.seeder = new MemberDirectorySeeder(members, log, proposal, commands, scheduler, config.nodeId());
        group.addLeaderListener(seeder);
    }

    public ClusterView view() {
        return view;
    }

    /** The membership admin API on the node's control port (call before the port starts). */
    public void registerRoutes(ControlServer controlServer) {
        MembershipRoutes.register(controlServer, service, config.nodeId());
    }

    /** Hands leadership over (if leading) and drains the transaction port; the caller closes afterwards. */
    public GracefulStop gracefulStop(IntSupplier inFlightRequests, LongSupplier receivedRequests) {
        long transferMs = 2L * config.electionTimeoutMs() + 1_000;
        return new GracefulStop(group, inFlightRequests, receivedRequests, transferMs,
                config.lifecycle().drainTimeoutMs());
    }

    @Override
    public void close() {
        seeder.close();
    }
}
