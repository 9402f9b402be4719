package io.tessera.coordinator.transport;

/**
 * A {@link TransactionService} fails a request's future with this when every possible answer would
 * mislead the client: a GlobalCommit/GlobalRollback whose outcome is unknown (no leader, leadership changed
 * with the decision in flight). A Seata TM reads only the status of such an answer and takes each one as
 * final - even "Finished" means "may be rolled back, do not retry" - but it retries on its own RPC timeout.
 * So nothing is written: the TM's timeout is the answer, and its retry hears the truth.
 */
public final class AnswerWithheldException extends RuntimeException {

    public AnswerWithheldException(String why) {
        super(why, null, false, false);
    }
}
