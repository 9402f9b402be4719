package io.tessera.coordinator.tc.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.codec.message.GlobalEndRequest;
import io.tessera.codec.message.GlobalEndRequest.Kind;
import io.tessera.codec.message.GlobalEndResponse;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.message.ResultCode;
import io.tessera.codec.message.TransactionExceptionCode;
import io.tessera.coordinator.tc.port.TxLogException;
import io.tessera.coordinator.transport.AnswerWithheldException;
import io.tessera.coordinator.transport.TransactionFailedException;
import io.tessera.raft.tx.TxOutcome;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The reply table, against what a Seata TM does with a commit answer: it raises an error only for
 * Finished and the timeout statuses and takes every other status as a successful commit.
 */
class ReplyPolicyTest {
    private static final Set<GlobalStatus> TM_COMMIT_ERROR = EnumSet.of(GlobalStatus.Finished,
            GlobalStatus.TimeoutRollbacking, GlobalStatus.TimeoutRollbackRetrying, GlobalStatus.TimeoutRollbacked,
            GlobalStatus.TimeoutRollbackFailed);

    private final ReplyPolicy replies = new ReplyPolicy();

    private static TxOutcome ok(GlobalStatus s) {
        return new TxOutcome(ResultCode.Success, TransactionExceptionCode.Unknown, "", s, "x:1", 1, 0, true, 0);
    }

    private static TxOutcome rejected(TransactionExceptionCode code, GlobalStatus s) {
        return new TxOutcome(ResultCode.Failed, code, "refused", s, "x:1", 1, 0, false, 0);
    }

    private GlobalStatus heard(Kind kind, TxOutcome o) {
        return ((GlobalEndResponse) replies.decided(kind, o, Optional.empty())).globalStatus();
    }

    /** A TM that heard this for its commit believes the transaction committed. */
    private static boolean tmTakesAsCommitted(GlobalStatus s) {
        return !TM_COMMIT_ERROR.contains(s);
    }

    @Test
    void aTmReadsACommitAsSuccessfulExactlyWhenTheTransactionWasDecidedToCommit() {
        for (GlobalStatus s : GlobalStatus.values()) {
            if (s.isCommitDecided()) {
                assertTrue(tmTakesAsCommitted(heard(Kind.COMMIT, ok(s))), s.name());
            }
            if (s.isRollbackDecided() || s == GlobalStatus.Finished) {
                GlobalStatus h = heard(Kind.COMMIT, rejected(TransactionExceptionCode.GlobalTransactionStatusInvalid, s));
                assertFalse(tmTakesAsCommitted(h), s + " heard as " + h);
            }
        }
    }

    @Test
    void commitAnswers() {
        assertEquals(GlobalStatus.Committed, heard(Kind.COMMIT, ok(GlobalStatus.AsyncCommitting)), "Seata: AT answers Committed");
        assertEquals(GlobalStatus.Committed, heard(Kind.COMMIT, ok(GlobalStatus.Committed)));
        assertEquals(GlobalStatus.CommitRetryTimeout, heard(Kind.COMMIT, ok(GlobalStatus.CommitRetryTimeout)));
        assertEquals(GlobalStatus.Committing, heard(Kind.COMMIT, ok(GlobalStatus.Committing)), "first round not over");
        GlobalEndResponse round = (GlobalEndResponse) replies.decided(Kind.COMMIT, ok(GlobalStatus.Committing),
                Optional.of(GlobalStatus.CommitRetrying));
        assertEquals(GlobalStatus.CommitRetrying, round.globalStatus());
        assertEquals(ResultCode.Success, round.resultCode());
        assertEquals(GlobalStatus.Finished, heard(Kind.COMMIT, rejected(TransactionExceptionCode.GlobalTransactionStatusInvalid,
                GlobalStatus.Rollbacked)));
        assertEquals(GlobalStatus.Finished, heard(Kind.COMMIT, rejected(TransactionExceptionCode.GlobalTransactionStatusInvalid,
                GlobalStatus.Rollbacking)), "Seata answers Rollbacking, which its TM takes for success");
        assertEquals(GlobalStatus.Finished, heard(Kind.COMMIT, rejected(TransactionExceptionCode.GlobalTransactionStatusInvalid,
                GlobalStatus.RollbackRetryTimeout)));
        assertEquals(GlobalStatus.TimeoutRollbacking, heard(Kind.COMMIT, rejected(TransactionExceptionCode.TransactionTimeout,
                GlobalStatus.TimeoutRollbacking)), "the TM reports a timeout");
        assertEquals(GlobalStatus.TimeoutRollbacked, heard(Kind.COMMIT, rejected(TransactionExceptionCode.GlobalTransactionStatusInvalid,
                GlobalStatus.TimeoutRollbacked)));
        assertEquals(GlobalStatus.Finished, heard(Kind.COMMIT, rejected(TransactionExceptionCode.GlobalTransactionNotExist,
                GlobalStatus.Finished)));
    }

    @Test
    void rollbackAnswers() {
        assertEquals(GlobalStatus.Rollbacked, heard(Kind.ROLLBACK, ok(GlobalStatus.Rollbacked)));
        assertEquals(GlobalStatus.RollbackRetryTimeout, heard(Kind.ROLLBACK, ok(GlobalStatus.RollbackRetryTimeout)));
        GlobalEndResponse round = (GlobalEndResponse) replies.decided(Kind.ROLLBACK, ok(GlobalStatus.Rollbacking),
                Optional.of(GlobalStatus.Rollbacked));
        assertEquals(GlobalStatus.Rollbacked, round.globalStatus());
        assertEquals(GlobalStatus.Committing, heard(Kind.ROLLBACK, rejected(TransactionExceptionCode.GlobalTransactionStatusInvalid,
                GlobalStatus.Committing)), "the TM reports an unknown rollback state");
    }

    @Test
    void waitsForPhaseTwoOnlyWhileItRunsAndHasNotFailed() {
        assertTrue(replies.waitsForPhaseTwo(Kind.COMMIT, ok(GlobalStatus.Committing)));
        assertTrue(replies.waitsForPhaseTwo(Kind.ROLLBACK, ok(GlobalStatus.TimeoutRollbacking)));
        assertFalse(replies.waitsForPhaseTwo(Kind.COMMIT, ok(GlobalStatus.AsyncCommitting)));
        assertFalse(replies.waitsForPhaseTwo(Kind.COMMIT, ok(GlobalStatus.CommitRetrying)));
        assertFalse(replies.waitsForPhaseTwo(Kind.COMMIT, ok(GlobalStatus.Committed)));
        assertFalse(replies.waitsForPhaseTwo(Kind.COMMIT, ok(GlobalStatus.CommitRetryTimeout)));
        assertFalse(replies.waitsForPhaseTwo(Kind.COMMIT, rejected(TransactionExceptionCode.GlobalTransactionStatusInvalid,
                GlobalStatus.Rollbacking)));
    }

    @Test
    void anUndecidedDecisionIsNotAnswered() {
        AnswerWithheldException e = replies.undecided(Kind.COMMIT, "x:1", new TxLogException(TxLogException.Outcome.UNKNOWN,
                "NO_LEADER: propose not done within 4000 ms", null));
        assertTrue(e.getMessage().contains("x:1") && e.getMessage().contains("NO_LEADER"), e.getMessage());
    }

    @Test
    void failuresThatAreNotDecisionsSayUnknownOrTheReason() {
        GlobalEndResponse status = (GlobalEndResponse) replies.statusFailed(
                new GlobalEndRequest(Kind.STATUS, "x:1", null), new TxLogException(TxLogException.Outcome.UNKNOWN, "NO_LEADER", null));
        assertEquals(ResultCode.Failed, status.resultCode());
        assertEquals(GlobalStatus.UnKnown, status.globalStatus(), "never a final-looking status");
        var register = (io.tessera.codec.message.BranchRegisterResponse) replies.registerFailed(new io.tessera.codec.message.BranchRegisterRequest("x:1",
                io.tessera.codec.message.BranchType.TCC, "r", null, null),
                new TxLogException(TxLogException.Outcome.UNKNOWN, "LEADERSHIP_CHANGED: jraft EPERM", null));
        assertTrue(register.msg().startsWith("TransactionException[LEADERSHIP_CHANGED"), register.msg());
        assertEquals(TransactionExceptionCode.BranchRegisterFailed, register.exceptionCode());
        GlobalEndResponse refused = (GlobalEndResponse) replies.refused(new GlobalEndRequest(Kind.COMMIT, "x:1", null),
                new TransactionFailedException(TransactionExceptionCode.Unknown, "belongs to another application"));
        assertEquals(GlobalStatus.Finished, refused.globalStatus(), "refused, so not done");
    }
}
