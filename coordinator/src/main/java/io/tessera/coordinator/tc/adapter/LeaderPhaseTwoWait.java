package io.tessera.coordinator.tc.adapter;

import io.tessera.codec.message.GlobalStatus;
import io.tessera.coordinator.tc.adapter.proto.FirstRoundAnswer;
import io.tessera.coordinator.tc.adapter.proto.FirstRoundQuery;
import io.tessera.coordinator.tc.port.PhaseTwoWait;
import io.tessera.coordinator.tc.service.PhaseTwoWaiters;
import io.tessera.raft.group.RaftGroup;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Waits for the first phase-two round on the leader, where it happens first.
 *
 * <p>Why on the leader: a follower learns that an entry is committed only with the leader's next append or
 * heartbeat (election timeout / 10, 100 ms by default), so a follower waiting for its own apply of the
 * transaction's end added that much to every commit it answered, and never hears the leader driver's early
 * "every RM confirmed". A follower therefore asks the leader ({@code FirstRoundQuery}) and falls back to
 * waiting locally only when no leader answers.
 */
public final class LeaderPhaseTwoWait implements PhaseTwoWait {
    static final String SERVICE = "phase-two-outcome/1";

    private final RaftGroup group;
    private final PeerCalls peers;
    private final PhaseTwoWaiters local;
    private final long waitMs;

    public LeaderPhaseTwoWait(RaftGroup group, PhaseTwoWaiters local, long waitMs) {
        this.group = group;
        this.peers = new PeerCalls(group);
        this.local = local;
        this.waitMs = waitMs;
    }

    /** Answers the other members' queries from this node's waiters. Call before the group starts. */
    public void register() {
        peers.serve(SERVICE, FirstRoundQuery.parser(), q -> local.firstRound(q.getXid(), Math.min(q.getWaitMs(), waitMs))
                .thenApply(s -> s.map(st -> FirstRoundAnswer.newBuilder().setGlobalStatus(st.code()).build())
                        .orElse(FirstRoundAnswer.getDefaultInstance())));
    }

    @Override
    public CompletableFuture<Optional<GlobalStatus>> firstRound(String xid) {
        Optional<String> leader = group.isLeader() ? Optional.empty() : group.leaderEndpoint();
        if (leader.isEmpty()) {
            return local.firstRound(xid);
        }
        FirstRoundQuery q = FirstRoundQuery.newBuilder().setXid(xid).setWaitMs(waitMs).build();
        return peers.call(leader.get(), SERVICE, q, FirstRoundAnswer.parser(), waitMs + 1_000)
                .thenApply(a -> a.hasGlobalStatus() ? Optional.of(GlobalStatus.of(a.getGlobalStatus()))
                        : Optional.<GlobalStatus>empty())
                .exceptionallyCompose(e -> local.firstRound(xid));
    }
}
