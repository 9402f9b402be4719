package io.tessera.raft.tx;

import io.tessera.codec.message.GlobalStatus;

/**
 * What an applied entry meant for one global transaction. Raised by the state machine on every replica,
 * from the typed command and result, after the batch holding the entry is durable (so nothing has to be
 * decoded again to learn it).
 *
 * @param status the transaction's status after the entry (its final status for ENDED)
 */
public record TxEvent(Kind kind, String xid, GlobalStatus status) {

    public enum Kind {
        /** A commit, rollback or timeout-rollback decision was applied (or an operator resent phase two) and phase two begins. */
        DECIDED,
        /** A phase-two round recorded a failure: the transaction is (still) retrying. */
        RETRYING,
        /**
         * No leader drives it any more: phase two gave up at the max retry timeout (kept in CommitRetryTimeout /
         * RollbackRetryTimeout), or an operator stopped its retries (StopCommitOrCommitRetry / StopRollbackOrRollbackRetry).
         */
        PARKED,
        /** The transaction reached its final status and is no longer live. */
        ENDED
    }
}
