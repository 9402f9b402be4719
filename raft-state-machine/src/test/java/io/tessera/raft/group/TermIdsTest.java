package io.tessera.raft.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TermIdsTest {
    @Test
    void idsArePositiveAndUniqueAcrossTermsEvenThoughSeqRestarts() {
        Set<Long> seen = new HashSet<>();
        for (long term : new long[] {1, 2, 3, 1000, TermIds.MAX_TERM}) {
            TermIds ids = new TermIds(term);
            for (int i = 0; i < 1000; i++) {
                long id = ids.next();
                assertTrue(id > 0, "positive: " + id);
                assertEquals(term, id >>> TermIds.SEQ_BITS);
                assertTrue(seen.add(id), "unique: " + id);
            }
        }
    }

    @Test
    void exhaustedTermFailsInsteadOfWrapping() {
        TermIds ids = new TermIds(7, TermIds.MAX_SEQ - 2);
        assertEquals(7L << TermIds.SEQ_BITS | (TermIds.MAX_SEQ - 1), ids.next());
        assertEquals(7L << TermIds.SEQ_BITS | TermIds.MAX_SEQ, ids.next());
        assertThrows(IdSpaceExhaustedException.class, ids::next);
        assertThrows(IdSpaceExhaustedException.class, ids::next);
    }

    @Test
    void termsOutsideTheIdLayoutAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TermIds(0));
        assertThrows(IllegalArgumentException.class, () -> new TermIds(TermIds.MAX_TERM + 1));
    }
}
