package io.tessera.coordinator.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.codec.message.BranchEndRequest;
import io.tessera.codec.message.BranchRegisterRequest;
import io.tessera.codec.message.BranchReportRequest;
import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalBeginRequest;
import io.tessera.codec.message.GlobalEndRequest;
import io.tessera.codec.message.GlobalEndResponse;
import io.tessera.codec.message.GlobalLockQueryRequest;
import io.tessera.codec.message.GlobalReportRequest;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.message.RegisterTMRequest;
import io.tessera.codec.message.Request;
import io.tessera.codec.message.Response;
import io.tessera.codec.message.ResultCode;
import io.tessera.codec.message.TransactionExceptionCode;
import io.tessera.codec.message.TransactionResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailedResponsesTest {
    private static final List<Request> CLIENT_REQUESTS = List.of(
            new GlobalBeginRequest(1000, "t"),
            new GlobalEndRequest(GlobalEndRequest.Kind.COMMIT, "x:1:1", null),
            new GlobalEndRequest(GlobalEndRequest.Kind.ROLLBACK, "x:1:1", null),
            new GlobalEndRequest(GlobalEndRequest.Kind.STATUS, "x:1:1", null),
            new GlobalReportRequest("x:1:1", null, GlobalStatus.Committed),
            new BranchRegisterRequest("x:1:1", BranchType.AT, "r", "t:1", null),
            new BranchReportRequest("x:1:1", 2, BranchStatus.PhaseOne_Done, "r", null, BranchType.AT),
            new GlobalLockQueryRequest("x:1:1", BranchType.AT, "r", "t:1", null));

    @Test
    void everyClientRequestGetsAFailedAnswerOfItsOwnType() {
        for (Request request : CLIENT_REQUESTS) {
            Response r = FailedResponses.of(request, TransactionExceptionCode.FailedStore, "boom");
            assertEquals(FailedResponses.expectedResponseType(request), r.typeCode(), request.toString());
            assertEquals(ResultCode.Failed, r.resultCode());
            assertEquals("boom", r.msg());
            assertEquals(TransactionExceptionCode.FailedStore, ((TransactionResponse) r).exceptionCode());
            if (r instanceof GlobalEndResponse g) {
                assertNotNull(g.globalStatus(), "the TM reads only globalStatus");
            }
        }
    }

    @Test
    void unknownOutcomeOfACommitIsNotReportedAsSuccess() {
        GlobalEndResponse commit = (GlobalEndResponse) FailedResponses.runtime(CLIENT_REQUESTS.get(1), "timeout");
        assertEquals(GlobalStatus.Finished, commit.globalStatus());
        assertEquals("RuntimeException[timeout]", commit.msg());
        assertEquals(TransactionExceptionCode.Unknown, commit.exceptionCode());
        GlobalEndResponse rollback = (GlobalEndResponse) FailedResponses.runtime(CLIENT_REQUESTS.get(2), "timeout");
        assertEquals(GlobalStatus.UnKnown, rollback.globalStatus());
    }

    @Test
    void longMessagesAreBoundedForThe16BitLengthOfTheWireString() {
        Response r = FailedResponses.runtime(CLIENT_REQUESTS.get(0), "x".repeat(100_000));
        assertTrue(r.msg().length() <= FailedResponses.MAX_MSG_CHARS + 3, String.valueOf(r.msg().length()));
    }

    @Test
    void exceptionsKeepTheirCodeAndStatus() {
        GlobalEndResponse r = (GlobalEndResponse) FailedResponses.fromThrowable(CLIENT_REQUESTS.get(2),
                new java.util.concurrent.CompletionException(new TransactionFailedException(
                        TransactionExceptionCode.GlobalTransactionNotExist, "gone", GlobalStatus.Finished)));
        assertEquals(TransactionExceptionCode.GlobalTransactionNotExist, r.exceptionCode());
        assertEquals(GlobalStatus.Finished, r.globalStatus());
        assertEquals("TransactionException[gone]", r.msg());
    }

    @Test
    void requestsAClientDoesNotSendAreNotAnswerable() {
        Request register = new RegisterTMRequest("2.5.0", "a", "g", null);
        Request branchCommit = new BranchEndRequest(true, "x:1:1", 1, BranchType.AT, "r", null);
        assertFalse(FailedResponses.answerable(register));
        assertFalse(FailedResponses.answerable(branchCommit));
        assertThrows(IllegalArgumentException.class, () -> FailedResponses.runtime(branchCommit, "x"));
        assertTrue(CLIENT_REQUESTS.stream().allMatch(FailedResponses::answerable));
    }
}
