/**
 * Seata's transaction coordinator over the replicated state, split by job: {@code port} (the typed
 * interfaces to replication and RMs), {@code service} (what a client request does and hears),
 * {@code drive} (leader-only work: phase two, timeouts, retention, undo-log broadcast), {@code auth} (the
 * control port's replicated secrets), {@code adapter} (the ports over jraft, the raft port and the
 * transaction port). The wiring is {@code io.tessera.coordinator.CoordinatorNode}.
 */
package io.tessera.coordinator.tc;
