package io.tessera.codec.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The status families every layer asks about, defined once on the status type. */
class GlobalStatusFamiliesTest {

    @Test
    void timeoutRollbackIsWhatSeatasTmReadsAsATimeout() {
        for (GlobalStatus s : GlobalStatus.values()) {
            org.apache.seata.core.model.GlobalStatus theirs = org.apache.seata.core.model.GlobalStatus.get(s.code());
            assertEquals(org.apache.seata.core.model.GlobalStatus.isOnePhaseTimeout(theirs), s.isTimeoutRollback(),
                    s.name());
            assertEquals(theirs.name(), s.name(), "same code, same name");
        }
    }

    @Test
    void familiesPartitionTheLiveAndEndedStatuses() {
        Set<GlobalStatus> phaseTwo = EnumSet.noneOf(GlobalStatus.class);
        for (GlobalStatus s : GlobalStatus.values()) {
            assertFalse(s.isCommitFamily() && s.isRollbackFamily(), s.name());
            assertFalse(s.isCommitOutcome() && s.isRollbackOutcome(), s.name());
            assertFalse(s.isPhaseTwo() && s.isEnded(), s.name());
            if (s.isRetrying()) {
                assertTrue(s.isPhaseTwo(), s.name());
            }
            if (s.isCommitOutcome() || s.isRollbackOutcome()) {
                assertTrue(s.isEnded(), s.name());
            }
            if (s.isPhaseTwo()) {
                phaseTwo.add(s);
            }
        }
        assertEquals(EnumSet.of(GlobalStatus.Committing, GlobalStatus.CommitRetrying, GlobalStatus.AsyncCommitting,
                GlobalStatus.Rollbacking, GlobalStatus.RollbackRetrying, GlobalStatus.TimeoutRollbacking,
                GlobalStatus.TimeoutRollbackRetrying), phaseTwo);
        assertEquals(EnumSet.of(GlobalStatus.CommitRetryTimeout, GlobalStatus.RollbackRetryTimeout),
                EnumSet.copyOf(java.util.Arrays.stream(GlobalStatus.values()).filter(GlobalStatus::isRetryTimeout).toList()));
        assertTrue(GlobalStatus.RollbackRetryTimeout.isRollbackDecided());
        assertTrue(GlobalStatus.CommitRetryTimeout.isCommitDecided());
        assertFalse(GlobalStatus.Begin.isCommitDecided() || GlobalStatus.Begin.isRollbackDecided());
        assertFalse(GlobalStatus.Finished.isCommitDecided() || GlobalStatus.Finished.isRollbackDecided());
    }
}
