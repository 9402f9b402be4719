package io.tessera.raft.tx;

/**
 * Hears every applied BeginGlobal. Same contract as {@link TxEventListener}: called on the apply thread
 * after the batch is stored, must only record or hand off, never block or propose.
 */
@FunctionalInterface
public interface TxBeginListener {
    void onBegin(TxBegun begun);
}
