package io.tessera.raft.group;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Cluster-unique ids without coordination: {@code id = term << 40 | seq}. Raft elects at most one leader
 * per term and only a leader stamps, so (term, seq) never repeats even though seq lives only in memory and
 * restarts at 1 on every leadership.
 *
 * <p>Capacity: 2^40 - 1 (~1.1e12) ids per term and terms up to 2^23 - 1 (~8.4e6 elections); every id is
 * positive because term >= 1. Beyond either limit stamping fails instead of wrapping into a duplicate.
 */
final class TermIds {
    static final int SEQ_BITS = 40;
    static final long MAX_SEQ = (1L << SEQ_BITS) - 1;
    static final long MAX_TERM = (1L << (63 - SEQ_BITS)) - 1;

    private final long term;
    private final AtomicLong seq = new AtomicLong();

    TermIds(long term) {
        this(term, 0);
    }

    /** Starts after {@code lastSeq} (tests reach the limit this way). */
    TermIds(long term, long lastSeq) {
        if (term < 1 || term > MAX_TERM) {
            throw new IllegalArgumentException("term " + term + " outside 1.." + MAX_TERM);
        }
        this.term = term;
        this.seq.set(lastSeq);
    }

    long term() {
        return term;
    }

    long next() {
        long s = seq.incrementAndGet();
        if (s > MAX_SEQ) {
            // Keep the counter pinned above the limit so every later call fails too.
            seq.set(MAX_SEQ + 1);
            throw new IdSpaceExhaustedException("id space of term " + term + " exhausted");
        }
        return term << SEQ_BITS | s;
    }
}
