package io.tessera.coordinator.tc;

import io.tessera.codec.message.GlobalStatus;
import io.tessera.raft.group.RaftGroup;
import io.tessera.raft.tx.TxView;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Waits for the first round of phase two of a decided transaction, on the leader.
 *
 * <p>Why on the leader: a follower learns that an entry is committed only with the leader's next
 * append or heartbeat (election timeout / 10, 100 ms by default), so a follower waiting for its own
 * apply of the transaction's end added that much to every commit it answered, and a timed-out wait
 * read a lagging status. The leader applies first; a follower therefore asks it over the raft port
 * and falls back to waiting locally only when no leader answers.
 */
public final class PhaseTwoOutcomes {
    static final String SERVICE = "phase-two-outcome";

    private final RaftGroup group;
    private final OutcomeWaiters waiters;
    private final TxView view;
    private final long waitMs;
    private final Executor executor;

    public PhaseTwoOutcomes(RaftGroup group, OutcomeWaiters waiters, TxView view, long waitMs, Executor executor) {
        this.group = group;
        this.waiters = waiters;
        this.view = view;
        this.waitMs = waitMs;
        this.executor = executor;
    }

    /** Call before the group starts. */
    public void register() {
        group.registerPeerService(SERVICE, payload -> local(new String(payload, StandardCharsets.UTF_8))
                .thenApply(s -> new byte[] {(byte) s.code()}));
    }

    /** The final status, a retrying status, or (after the wait) where the transaction stands. */
    public CompletableFuture<GlobalStatus> await(String xid) {
        Optional<String> leader = group.isLeader() ? Optional.empty() : group.leaderEndpoint();
        if (leader.isEmpty()) {
            return local(xid);
        }
        return group.callPeer(leader.get(), SERVICE, xid.getBytes(StandardCharsets.UTF_8), waitMs + 1_000)
                .thenApply(bytes -> GlobalStatus.of(bytes[0]))
                .exceptionallyCompose(e -> local(xid));
    }

    private CompletableFuture<GlobalStatus> local(String xid) {
        CompletableFuture<GlobalStatus> wait = waiters.await(xid);
        return wait.orTimeout(waitMs, TimeUnit.MILLISECONDS).handleAsync((s, e) -> {
            if (e == null) {
                return s;
            }
            waiters.abandon(xid, wait);
            // Still in phase two: the decision is durable, report where it stands.
            return view.status(xid).orElse(GlobalStatus.Finished);
        }, executor);
    }
}
