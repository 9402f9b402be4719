package io.tessera.raft.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.raft.tx.TxEvent.Kind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state machine says what each applied entry meant, from the typed command and result: exactly the
 * entries that applied a decision are DECIDED (the phase-two driver starts on them), a recorded phase-two
 * failure is RETRYING, a give-up at the retry timeout PARKED, a final status ENDED; repeats and
 * rejections raise nothing.
 */
class TxEventsTest {
    @TempDir
    Path dir;

    @Test
    void onlyWhatChangedATransactionIsRaised() throws Exception {
        try (Harness h = new Harness(dir)) {
            List<TxEvent> events = new ArrayList<>();
            h.machine.addEventListener(events::add);
            String xid = h.apply(h.commands.begin("127.0.0.1:8091", "app", "grp", "t", 60_000)).xid();
            long b = h.apply(h.commands.register(xid, BranchType.TCC, "r", null, "app:127.0.0.1:1", null)).branchId();
            assertEquals(List.of(), events, "begin and register decide nothing");
            h.apply(h.commands.commit(xid));
            assertEquals(List.of(new TxEvent(Kind.DECIDED, xid, GlobalStatus.Committing)), events, "Begin -> Committing");
            events.clear();
            h.apply(h.commands.commit(xid));
            h.apply(h.commands.rollback(xid));
            assertEquals(List.of(), events, "a repeated commit and a rejected rollback change nothing");
            h.apply(h.commands.phaseTwoResult(xid, b, BranchStatus.PhaseTwo_CommitFailed_Retryable));
            h.apply(h.commands.report(xid, b, BranchStatus.PhaseTwo_CommitFailed_Retryable, null));
            assertEquals(List.of(new TxEvent(Kind.RETRYING, xid, GlobalStatus.CommitRetrying)), events,
                    "a phase-two failure, not a branch report");
            events.clear();
            h.at(70_000);
            h.apply(h.commands.park(xid, GlobalStatus.CommitRetryTimeout, 60_000, false));
            assertEquals(List.of(new TxEvent(Kind.PARKED, xid, GlobalStatus.CommitRetryTimeout)), events);
            events.clear();
            h.apply(h.commands.end(xid, GlobalStatus.CommitRetryTimeout));
            assertEquals(List.of(new TxEvent(Kind.ENDED, xid, GlobalStatus.CommitRetryTimeout)), events);
            events.clear();

            String empty = h.apply(h.commands.begin("127.0.0.1:8091", "app", "grp", "t", 60_000)).xid();
            h.apply(h.commands.rollback(empty));
            assertEquals(List.of(new TxEvent(Kind.ENDED, empty, GlobalStatus.Rollbacked)), events,
                    "a decision that ends the transaction at once is its end");
        }
    }

    @Test
    void aFailingListenerChangesNothing() throws Exception {
        try (Harness h = new Harness(dir)) {
            h.machine.addEventListener(e -> {
                throw new IllegalStateException("listener bug");
            });
            String xid = h.apply(h.commands.begin("127.0.0.1:8091", "app", "grp", "t", 60_000)).xid();
            assertEquals(GlobalStatus.Rollbacked, h.apply(h.commands.rollback(xid)).globalStatus());
            assertEquals(GlobalStatus.Rollbacked, h.view().status(xid).orElseThrow());
        }
    }
}
