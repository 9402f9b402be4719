package io.tessera.coordinator.tc.port;

import io.tessera.codec.message.GlobalStatus;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * How a GlobalCommit/GlobalRollback answer waits for the first round of phase two of the transaction it
 * decided (Seata's TC answers TCC decisions only after that round): completes with the status the round
 * led to - final, retrying, parked at a retry timeout, or the leader's early "every RM confirmed" - or
 * empty when the wait ended first. Never fails.
 */
@FunctionalInterface
public interface PhaseTwoWait {
    CompletableFuture<Optional<GlobalStatus>> firstRound(String xid);
}
