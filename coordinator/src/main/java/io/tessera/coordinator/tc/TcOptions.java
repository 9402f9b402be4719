package io.tessera.coordinator.tc;

/**
 * Timing of the transaction layer.
 *
 * @param decisionBudgetMs how long a commit/rollback keeps retrying a proposal whose outcome is unknown
 *     (leader change, timeout) before answering; commits and rollbacks are idempotent, so retrying is safe
 * @param phaseTwoWaitMs how long a commit/rollback answer waits for the first round of phase two
 * @param sweepIntervalMs how often the leader looks for transactions whose phase two must be (re)driven
 * @param retryBaseMs first phase-two retry delay; doubles per attempt up to retryMaxMs
 * @param retryMaxMs cap of the phase-two retry delay
 * @param timeoutCheckMs how often the leader looks for Begin transactions past their deadline
 * @param endedRetentionMs how long the final status of an ended transaction is kept for late retries
 * @param purgeIntervalMs how often the leader proposes the removal of expired ended records
 */
public record TcOptions(long decisionBudgetMs, long phaseTwoWaitMs, long sweepIntervalMs, long retryBaseMs,
        long retryMaxMs, long timeoutCheckMs, long endedRetentionMs, long purgeIntervalMs) {

    public static TcOptions defaults(long requestTimeoutMs) {
        long budget = Math.max(1_000, requestTimeoutMs - 1_000);
        return new TcOptions(budget, Math.min(5_000, budget / 2), 1_000, 200, 10_000, 100,
                30 * 60_000L, 60_000);
    }
}
