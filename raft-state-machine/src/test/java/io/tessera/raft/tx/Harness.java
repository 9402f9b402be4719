package io.tessera.raft.tx;

import io.tessera.raft.group.ApplyHaltException;
import io.tessera.raft.group.ApplyTarget.Entry;
import io.tessera.raft.group.CommandStamper.StampContext;
import io.tessera.raft.proto.TxCommand;
import io.tessera.raft.proto.TxResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Plays the leader for tests without Raft: stamps drafts with a deterministic id counter and a settable
 * clock, assigns consecutive log indexes, and applies through the real state machine and store.
 */
final class Harness implements AutoCloseable {
    final TxCommands commands = new TxCommands();
    final TxCommandStamper stamper = new TxCommandStamper();
    final TxStateMachine machine;
    private long nextId = 1;
    private long now = 1;
    private long nextIndex;
    private final long term = 1;

    Harness(Path dir) throws IOException {
        machine = new TxStateMachine(dir);
        machine.open();
        nextIndex = machine.lastAppliedIndex() + 1;
    }

    void at(long millis) {
        now = millis;
    }

    long now() {
        return now;
    }

    private final StampContext ctx = new StampContext() {
        @Override
        public long term() {
            return term;
        }

        @Override
        public long nextId() {
            return nextId++;
        }

        @Override
        public long nowMillis() {
            return now;
        }
    };

    /** The log entry's bytes, as a follower reads them (apply then decodes, like on a follower). */
    byte[] stamp(TxCommand draft) {
        return stamper.stamp(draft.toByteArray(), ctx);
    }

    /**
     * Applies a draft with only stamp time and term set, bypassing the stamper's checks: what a forged or
     * buggy entry would look like in the log.
     */
    TxOutcome applyForged(TxCommand draft) throws ApplyHaltException {
        byte[] cmd = draft.toBuilder().setStampTime(now).build().toByteArray();
        return TxOutcome.of(machine.applyBatch(List.of(new Entry(nextIndex++, term, cmd))).get(0));
    }

    /** Stamps and applies one draft as its own batch. */
    TxOutcome apply(TxCommand draft) throws ApplyHaltException {
        return applyAll(List.of(draft)).get(0);
    }

    /** Stamps all drafts and applies them as ONE batch (one WriteBatch). */
    List<TxOutcome> applyAll(List<TxCommand> drafts) throws ApplyHaltException {
        List<Entry> entries = new ArrayList<>();
        for (TxCommand d : drafts) {
            entries.add(new Entry(nextIndex++, term, stamp(d)));
        }
        List<TxOutcome> out = new ArrayList<>();
        for (TxResult r : machine.applyBatch(entries)) {
            out.add(TxOutcome.of(r));
        }
        return out;
    }

    TxView view() {
        return machine.view();
    }

    @Override
    public void close() {
        machine.close();
    }
}
