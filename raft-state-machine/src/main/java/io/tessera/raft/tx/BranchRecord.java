package io.tessera.raft.tx;

import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.BranchType;

/**
 * A branch of a live global transaction. {@code order} is the registration order within its global
 * (0, 1, ...); {@code lockKey} and {@code applicationData} may be null.
 */
public record BranchRecord(
        long branchId,
        String xid,
        long transactionId,
        String resourceId,
        BranchType branchType,
        String lockKey,
        String clientId,
        String applicationData,
        BranchStatus status,
        long order) {
}
