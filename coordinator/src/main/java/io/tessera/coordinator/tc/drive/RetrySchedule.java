package io.tessera.coordinator.tc.drive;

import io.tessera.codec.message.GlobalStatus;
import io.tessera.coordinator.config.NodeConfig;

/**
 * When phase two of a transaction is tried again, and when it gives up - Seata's recovery settings: the
 * first retry after the period of the transaction's kind (committing, async committing, rollbacking),
 * doubling per failed round up to a cap; give-up once the max retry timeout of its kind has passed since
 * the global began (-1 = never; AsyncCommitting never gives up, as in Seata).
 */
final class RetrySchedule {
    private final NodeConfig.Recovery recovery;
    private final long maxBackoffMs;

    RetrySchedule(NodeConfig.Recovery recovery, long maxBackoffMs) {
        this.recovery = recovery;
        this.maxBackoffMs = maxBackoffMs;
    }

    /** Delay before retry number {@code failedRounds} (1 = after the first failed round). */
    long delayMs(GlobalStatus status, int failedRounds) {
        long period = periodMs(status);
        int doublings = Math.min(Math.max(0, failedRounds - 1), 20);
        return Math.min(Math.max(period, maxBackoffMs), period << doublings);
    }

    long periodMs(GlobalStatus status) {
        if (status == GlobalStatus.AsyncCommitting) {
            return recovery.asyncCommittingRetryPeriodMs();
        }
        return status.isCommitFamily() ? recovery.committingRetryPeriodMs() : recovery.rollbackingRetryPeriodMs();
    }

    /** The max retry timeout that applies to a transaction in {@code status}, or -1 when it retries forever. */
    long retryTimeoutMs(GlobalStatus status) {
        if (status == GlobalStatus.Committing || status == GlobalStatus.CommitRetrying) {
            return recovery.maxCommitRetryTimeoutMs();
        }
        return status.isRollbackFamily() ? recovery.maxRollbackRetryTimeoutMs() : -1;
    }

    /** Seata's isRetryTimeout: {@code timeout >= 0 && now - beginTime > timeout}. */
    boolean givesUp(GlobalStatus status, long beginTime, long now) {
        long timeout = retryTimeoutMs(status);
        return timeout >= 0 && now - beginTime > timeout;
    }

    /** The status a transaction in {@code status} is parked in when it gives up. */
    static GlobalStatus parkedStatus(GlobalStatus status) {
        return status.isCommitFamily() ? GlobalStatus.CommitRetryTimeout : GlobalStatus.RollbackRetryTimeout;
    }

    /** Whether the park releases the global's row locks (only rollbacks hold any after the decision). */
    boolean releasesLocks(GlobalStatus status) {
        return status.isRollbackFamily() && recovery.rollbackRetryTimeoutUnlockEnable();
    }

    long deadThresholdMs() {
        return recovery.retryDeadThresholdMs();
    }
}
