package io.tessera.raft.group;

/**
 * Runs on the leader before a command is proposed: fills in everything that apply must not decide
 * itself (ids, times, deadlines). Forwarded commands are stamped by the leader, never by the follower
 * that received them.
 */
public interface CommandStamper {

    /** What the leader knows at stamping time. */
    interface StampContext {
        /** The leader's current term; the entry is proposed with this expected term. */
        long term();

        /** A positive id, unique across the cluster's whole life (term-derived, see the group). */
        long nextId();

        /** The leader's wall clock, in epoch milliseconds. */
        long nowMillis();
    }

    /**
     * Returns the command to propose.
     *
     * @throws IllegalArgumentException if the draft cannot be decoded (the caller gets a failure)
     */
    byte[] stamp(byte[] draft, StampContext context);

    /**
     * A stamped command and, when the stamper has it, the object it was serialized from: decoding
     * {@code command} must give exactly {@code decoded}. It travels with the leader's own proposal to
     * {@link ApplyTarget.Entry#decoded()}, so the leader need not decode what it has just built.
     */
    record Stamped(byte[] command, Object decoded) {
    }

    /** {@link #stamp}, plus the decoded command where the stamper has one (default: none). */
    default Stamped stampDecoded(byte[] draft, StampContext context) {
        return new Stamped(stamp(draft, context), null);
    }

    /**
     * Stamps a draft handed to {@link RaftGroup#propose(Object, ProposalOptions)}: the proposer's own draft
     * object on the leader (nothing to decode), or its wire bytes when a follower forwarded it. The
     * default knows only bytes.
     *
     * @throws IllegalArgumentException if the draft is malformed (nothing is proposed)
     */
    default Stamped stampDraft(Object draft, StampContext context) {
        if (draft instanceof byte[] bytes) {
            return stampDecoded(bytes, context);
        }
        throw new IllegalArgumentException("not a draft: " + (draft == null ? "null" : draft.getClass().getName()));
    }

    /**
     * A draft whose command changes nothing when applied (the application's no-op), or null if it has
     * none. The group proposes it on its own when jraft needs a fresh log entry to make progress: after
     * adding a voter, jraft's catch-up wait can miss its only wake-up and then completes only when the
     * next entry is replicated (see {@code Reconfiguration}). Without one such a promotion waits for other
     * traffic.
     */
    default Object noopDraft() {
        return null;
    }

    /** The wire form of a draft object, to forward it to the leader (the default knows only bytes). */
    default byte[] draftBytes(Object draft) {
        if (draft instanceof byte[] bytes) {
            return bytes;
        }
        throw new IllegalArgumentException("not a draft: " + (draft == null ? "null" : draft.getClass().getName()));
    }
}
