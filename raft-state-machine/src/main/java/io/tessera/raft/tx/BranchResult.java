package io.tessera.raft.tx;

import io.tessera.codec.message.BranchStatus;
import java.util.Objects;

/** One RM answer of a phase-two round: what branch {@code branchId} answered to BranchCommit/BranchRollback. */
public record BranchResult(long branchId, BranchStatus status) {
    public BranchResult {
        Objects.requireNonNull(status, "status");
    }
}
