package io.tessera.coordinator.tc;

/**
 * Timing of the transaction layer that Seata has no knob for (Seata's own knobs are
 * {@link io.tessera.coordinator.config.NodeConfig.Recovery}).
 *
 * @param decisionBudgetMs how long a GlobalCommit/GlobalRollback (and a GlobalBegin) keeps settling a proposal
 *     whose outcome a leader change left unknown (they are idempotent, so it is proposed again); still
 *     unknown then, a decision is not answered at all (see ReplyPolicy)
 * @param phaseTwoWaitMs how long a commit/rollback answer waits for the first round of phase two
 * @param sweepIntervalMs how often the leader looks for transactions in phase two that nothing drives (how a
 *     new leader picks up its predecessor's work)
 * @param maxBackoffMs cap of a transaction's phase-two retry delay, which starts at the retry period of its
 *     kind and doubles per failed round
 * @param endedRetentionMs how long the final status of an ended transaction is kept for late retries
 * @param purgeIntervalMs how often the leader proposes the removal of expired ended records
 */
public record TcOptions(long decisionBudgetMs, long phaseTwoWaitMs, long sweepIntervalMs, long maxBackoffMs,
        long endedRetentionMs, long purgeIntervalMs) {

    public TcOptions {
        if (decisionBudgetMs <= 0 || phaseTwoWaitMs <= 0 || sweepIntervalMs <= 0 || maxBackoffMs <= 0
                || endedRetentionMs < 0 || purgeIntervalMs <= 0) {
            throw new IllegalArgumentException("TcOptions: times must be positive");
        }
    }

    /**
     * Settling leaves a second of the request timeout for the answer to travel; the first phase-two round
     * gets half of that budget, at most 5 s.
     */
    public static TcOptions defaults(long requestTimeoutMs) {
        long budget = Math.max(1_000, requestTimeoutMs - 1_000);
        return new TcOptions(budget, Math.min(5_000, budget / 2), 1_000, 10_000, 30 * 60_000L, 60_000);
    }
}
