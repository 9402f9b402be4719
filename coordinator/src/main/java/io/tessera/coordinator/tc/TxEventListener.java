package io.tessera.coordinator.tc;

import io.tessera.codec.message.GlobalStatus;

/**
 * What the coordinator learns from each applied batch, on every replica. Called on jraft's apply
 * thread after the batch is stored: implementations must only hand work off (complete a future,
 * submit a task), never block or propose.
 */
public interface TxEventListener {

    /** A commit or rollback decision (including a timeout rollback) was just applied. */
    default void onDecided(String xid, GlobalStatus status) {
    }

    /** Phase two hit a failure and the transaction is now retrying (CommitRetrying, RollbackRetrying, …). */
    default void onRetrying(String xid, GlobalStatus status) {
    }

    /** The transaction reached its final status. */
    default void onEnded(String xid, GlobalStatus finalStatus) {
    }
}
