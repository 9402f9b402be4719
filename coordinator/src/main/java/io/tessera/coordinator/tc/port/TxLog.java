package io.tessera.coordinator.tc.port;

import io.tessera.raft.group.LeaderListener;
import io.tessera.raft.group.ProposalOptions;
import io.tessera.raft.proto.TxCommand;
import io.tessera.raft.tx.TxEventListener;
import io.tessera.raft.tx.TxOutcome;
import io.tessera.raft.tx.TxView;
import java.util.concurrent.CompletableFuture;

/**
 * The coordinator's one port to replication: typed commands in, typed outcomes out. Implemented over the
 * Raft group ({@code tc.adapter.RaftTxLog}) and in-process for tests. Bytes exist only behind it, on the
 * wire and in the log.
 *
 * <p>Every mutating request and every driver acts through {@link #propose}; the transaction state is read
 * from {@link #view} (after {@link #readBarrier} when the answer must be linearizable); what applied
 * entries meant is heard through {@link #addEventListener}, on every replica; leader-only work starts and
 * stops with {@link #addLeaderListener}.
 */
public interface TxLog {

    /**
     * Replicates one draft ({@code io.tessera.raft.tx.TxCommands}) and completes with the outcome of its
     * log entry, business rejections included. Fails with {@link TxLogException} when no outcome could be
     * learned within {@code options.timeoutMs()}. {@code options.idempotent()}: the draft may be proposed
     * again to settle an outcome a leader change left unknown (this is the only retry loop of a proposal).
     */
    CompletableFuture<TxOutcome> propose(TxCommand draft, ProposalOptions options);

    /** Completes once this replica has applied everything committed before the call (linearizable read). */
    CompletableFuture<Void> readBarrier();

    /** The applied transaction state of this replica. */
    TxView view();

    /** Hears every applied decision, retry, park and end on this replica (on the apply thread: hand off). */
    void addEventListener(TxEventListener listener);

    /** onLeaderStart(term) once this replica leads with every earlier entry applied; onLeaderStop when it stops. */
    void addLeaderListener(LeaderListener listener);
}
