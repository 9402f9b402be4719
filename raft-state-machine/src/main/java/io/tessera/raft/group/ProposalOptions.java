package io.tessera.raft.group;

/**
 * How one proposal is driven. Whatever the options, the group never re-proposes a draft that may have
 * applied unless the caller declared that harmless.
 *
 * @param timeoutMs the caller waits this long in all (leader waits, forwarding, retries); the future then
 *     fails with NO_LEADER or TIMEOUT
 * @param idempotent applying the draft twice changes nothing the second time (a commit decision, a
 *     begin whose duplicate is an empty transaction): an outcome left unknown by a leader change, a lost
 *     forward or a full queue is then settled by proposing again within the timeout. Otherwise only
 *     failures where nothing can have been proposed are retried.
 */
public record ProposalOptions(long timeoutMs, boolean idempotent) {

    public ProposalOptions {
        if (timeoutMs <= 0) {
            throw new IllegalArgumentException("timeoutMs must be positive: " + timeoutMs);
        }
    }

    public static ProposalOptions once(long timeoutMs) {
        return new ProposalOptions(timeoutMs, false);
    }

    public static ProposalOptions idempotent(long timeoutMs) {
        return new ProposalOptions(timeoutMs, true);
    }
}
