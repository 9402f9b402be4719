/**
 * The ports between the coordinator's service and drivers on one side and replication and the RM
 * connections on the other: {@link io.tessera.coordinator.tc.port.TxLog} (typed commands and outcomes,
 * read barrier, view, events, leadership), phase-two delivery, waits and progress, undo-log targets.
 * Depends on nothing else in {@code tc}.
 */
package io.tessera.coordinator.tc.port;
