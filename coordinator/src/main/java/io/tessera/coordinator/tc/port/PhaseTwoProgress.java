package io.tessera.coordinator.tc.port;

import io.tessera.codec.message.GlobalStatus;

/**
 * The leader's phase-two driver reports what it learned before it is applied: every RM of a commit round
 * confirmed, so the outcome is settled (the decision is durable and a successor repeats the idempotent
 * BranchCommits should this leader fail before recording the round).
 */
@FunctionalInterface
public interface PhaseTwoProgress {
    void confirmed(String xid, GlobalStatus outcome);
}
