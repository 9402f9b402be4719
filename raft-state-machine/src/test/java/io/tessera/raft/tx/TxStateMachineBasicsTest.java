package io.tessera.raft.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.message.TransactionExceptionCode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class TxStateMachineBasicsTest {
    @TempDir
    Path dir;

    @Test
    void beginRegisterCommitAtEndsCommittedAndFreesLocks() throws Exception {
        try (Harness h = new Harness(dir)) {
            h.at(1000);
            TxOutcome begin = h.apply(h.commands.begin("10.0.0.1:8091", "app", "grp", "tx", 60_000));
            assertTrue(begin.success());
            assertEquals("10.0.0.1:8091:" + begin.transactionId(), begin.xid());
            String xid = begin.xid();
            GlobalTxRecord g = h.view().global(xid).orElseThrow();
            assertEquals(GlobalStatus.Begin, g.status());
            assertEquals(61_000, g.deadline());

            TxOutcome reg = h.apply(h.commands.register(xid, BranchType.AT, "jdbc:db1", "t:1,2", "app:1.2.3.4:5", null));
            assertTrue(reg.success(), reg.message());
            assertFalse(h.view().lockable("jdbc:db1", "t:2", "other:1"));
            assertTrue(h.view().lockable("jdbc:db1", "t:2", xid));

            TxOutcome commit = h.apply(h.commands.commit(xid));
            assertEquals(GlobalStatus.AsyncCommitting, commit.globalStatus());
            assertTrue(h.view().lockable("jdbc:db1", "t:1,2", "other:1"), "AT locks released at commit decision");
            assertEquals(List.of(xid), h.view().byStatus(GlobalStatus.AsyncCommitting, 10).stream().map(GlobalTxRecord::xid).toList());

            assertEquals(GlobalStatus.AsyncCommitting, h.view().status(xid).orElseThrow());
            assertTrue(h.view().status("10.0.0.1:8091:999").isEmpty());
            TxOutcome done = h.apply(h.commands.phaseTwoResult(xid, reg.branchId(), BranchStatus.PhaseTwo_Committed));
            assertEquals(GlobalStatus.Committed, done.globalStatus());
            assertTrue(h.view().global(xid).isEmpty());
            assertEquals(GlobalStatus.Committed, h.view().ended(xid).orElseThrow().finalStatus());

            assertEquals(GlobalStatus.Committed, h.view().status(xid).orElseThrow());
            TxOutcome again = h.apply(h.commands.commit(xid));
            assertTrue(again.success());
            assertFalse(again.applied());
            assertEquals(GlobalStatus.Committed, again.globalStatus());

            TxOutcome rb = h.apply(h.commands.rollback(xid));
            assertEquals(TransactionExceptionCode.GlobalTransactionStatusInvalid, rb.exceptionCode());
            assertEquals(GlobalStatus.Committed, rb.globalStatus());
        }
    }
}
