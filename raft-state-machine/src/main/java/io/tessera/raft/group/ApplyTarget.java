package io.tessera.raft.group;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The deterministic state a Raft group applies committed entries to. The replication layer treats
 * commands as opaque bytes and results as opaque objects; the implementation owns their meaning. A result
 * stays an object for the member that proposed the entry and is serialised ({@link #resultBytes}) only
 * when it must travel back to a follower that forwarded the proposal.
 *
 * <p>Threading: every method except {@link #lastAppliedIndex()} is called only from jraft's single
 * apply (FSM caller) thread, so implementations need no locking between them.
 */
public interface ApplyTarget extends AutoCloseable {

    /**
     * One committed log entry. {@code decoded} is set only on the node that proposed the entry, from its
     * {@link CommandStamper}: the command as built before serialization, equal to decoding
     * {@code command}. A target may use it to skip decoding, never to behave differently (followers and
     * replay never have it).
     */
    record Entry(long index, long term, byte[] command, Object decoded) {
        public Entry(long index, long term, byte[] command) {
            this(index, term, command, null);
        }
    }

    /** Opens the backing store (after construction, before the first apply or snapshot load). */
    void open() throws IOException;

    /**
     * Applies committed entries in order and durably records {@code entries.get(last).index()} as the
     * last applied index in the same atomic write. Returns one result per entry (a business rejection
     * is a result, not an exception): byte arrays, or objects that {@link #resultBytes} serialises.
     *
     * @throws ApplyHaltException on an undecodable command, a storage failure or a broken invariant:
     *     the replica must stop applying (the group calls setErrorAndRollback)
     */
    List<?> applyBatch(List<Entry> entries) throws ApplyHaltException;

    /** The wire form of one result of {@link #applyBatch}, for a proposal forwarded by another member. */
    default byte[] resultBytes(Object result) {
        return (byte[]) result;
    }

    /** The last index whose effects are stored; entries at or below it are skipped on replay. */
    long lastAppliedIndex();

    /** Writes a consistent copy of the state into {@code dir} (empty, existing) with checksums. */
    void saveSnapshot(Path dir) throws IOException;

    /** Verifies the snapshot in {@code dir}, then replaces the current state with it. */
    void loadSnapshot(Path dir) throws IOException;

    @Override
    void close();
}
