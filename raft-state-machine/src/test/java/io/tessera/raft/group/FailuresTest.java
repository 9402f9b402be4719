package io.tessera.raft.group;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.error.RaftError;
import io.tessera.raft.group.GroupException.Kind;
import io.tessera.raft.group.proto.ForwardResponse;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class FailuresTest {
    @Test
    void jraftStatusesMapToTheDocumentedKinds() {
        assertEquals(Kind.BUSY, Failures.fromStatus(new Status(RaftError.EBUSY, "Node is busy")).kind());
        assertEquals(Kind.LEADERSHIP_CHANGED,
                Failures.fromStatus(new Status(RaftError.EPERM, "expected_term=1 doesn't match current_term=3"))
                        .kind());
        assertEquals(Kind.LEADERSHIP_CHANGED, Failures.fromStatus(new Status(RaftError.EPERM, "Leader stepped down"))
                .kind());
        assertEquals(Kind.TIMEOUT, Failures.fromStatus(new Status(RaftError.ETIMEDOUT, "t")).kind());
        assertEquals(Kind.UNAVAILABLE, Failures.fromStatus(new Status(RaftError.ESHUTDOWN, "down")).kind());
        assertEquals(Kind.UNAVAILABLE, Failures.fromStatus(new Status(RaftError.ESTATEMACHINE, "halt")).kind());
    }

    @Test
    void tasksJraftRefusedBeforeAppendingAreKnownSoTheyCanBeRoutedAgain() {
        assertEquals(true, Failures.neverAppended(new Status(RaftError.EPERM, "Is not leader.")));
        assertEquals(true, Failures.neverAppended(new Status(RaftError.EPERM,
                "expected_term=1 doesn't match current_term=3")));
        // A leader handing over (graceful stop, transfer-leader) appends nothing until the successor leads.
        assertEquals(true, Failures.neverAppended(new Status(RaftError.EBUSY, "Is transferring leadership.")));
        assertEquals(false, Failures.neverAppended(new Status(RaftError.EPERM, "Leader stepped down")));
        assertEquals(false, Failures.neverAppended(new Status(RaftError.EBUSY, "Node n log manager is busy.")));
    }

    @Test
    void everyKindSurvivesTheWire() throws Exception {
        for (Kind k : Kind.values()) {
            ForwardResponse r = ForwardResponse.newBuilder().setOutcome(Failures.toWire(k)).setMessage("m").build();
            assertEquals(k, Failures.fromWire(ForwardResponse.parseFrom(r.toByteArray())).kind(), k.name());
        }
    }

    @Test
    void anUnsetOutcomeIsAFailureNotASuccess() throws Exception {
        ForwardResponse empty = ForwardResponse.parseFrom(new byte[0]);
        assertEquals(Kind.UNAVAILABLE, Failures.fromWire(empty).kind());
    }

    @Test
    void unwrapFindsTheGroupExceptionInsideCompletionWrappers() {
        GroupException g = new GroupException(Kind.BUSY, "x");
        assertEquals(g, Failures.unwrap(new CompletionException(g)));
        assertEquals(Kind.UNAVAILABLE, Failures.unwrap(new CompletionException(new IllegalStateException())).kind());
    }
}
