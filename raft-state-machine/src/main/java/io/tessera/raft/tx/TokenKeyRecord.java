package io.tessera.raft.tx;

/**
 * The control port's current token-signing key as replicated by SetTokenKey.
 *
 * @param generation 1 for the first key of the cluster, one more per rotation
 * @param setTime stamp time (epoch ms) of the entry that set it
 * @param requestedBy who asked, as the proposer recorded it
 */
public record TokenKeyRecord(long generation, byte[] key, long setTime, String requestedBy) {
    public TokenKeyRecord {
        key = key.clone();
    }

    /** A copy: the record is shared between threads. */
    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public String toString() {
        return "TokenKeyRecord[generation=" + generation + ", setTime=" + setTime + ", requestedBy=" + requestedBy + "]";
    }
}
