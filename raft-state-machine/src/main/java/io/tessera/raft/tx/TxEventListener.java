package io.tessera.raft.tx;

/**
 * Receives {@link TxEvent}s. Called on the apply thread after the batch is stored: implementations must
 * only hand work off (complete a future, submit a task), never block or propose; they cannot change
 * what was applied. An exception is logged and ignored.
 */
@FunctionalInterface
public interface TxEventListener {
    void onEvent(TxEvent event);
}
