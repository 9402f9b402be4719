package io.tessera.raft.tx;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.codec.message.BranchType;
import io.tessera.raft.group.ApplyTarget.Entry;
import io.tessera.raft.group.CommandStamper.StampContext;
import io.tessera.raft.proto.TxResult;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The result of exactly the entries that applied a decision says so (observers start phase two on it). */
class DecidedFlagTest {
    @TempDir
    Path dir;

    private final TxCommands commands = new TxCommands();
    private final TxCommandStamper stamper = new TxCommandStamper();
    private long ids;
    private long index;

    private final StampContext ctx = new StampContext() {
        public long term() {
            return 1;
        }

        public long nextId() {
            return (1L << 40) | ++ids;
        }

        public long nowMillis() {
            return 1_700_000_000_000L;
        }
    };

    private TxResult apply(TxStateMachine sm, byte[] draft) throws Exception {
        byte[] r = sm.applyBatch(List.of(new Entry(++index, 1, stamper.stamp(draft, ctx)))).get(0);
        return TxResult.parseFrom(r);
    }

    @Test
    void onlyAnAppliedDecisionIsMarked() throws Exception {
        try (TxStateMachine sm = new TxStateMachine(dir)) {
            sm.open();
            TxResult begin = apply(sm, commands.begin("127.0.0.1:8091", "app", "grp", "t", 60_000));
            String xid = begin.getXid();
            assertFalse(begin.getDecided());
            assertFalse(apply(sm, commands.register(xid, BranchType.TCC, "r", null, "app:127.0.0.1:1", null)).getDecided());
            assertTrue(apply(sm, commands.commit(xid)).getDecided(), "Begin -> Committing");
            assertFalse(apply(sm, commands.commit(xid)).getDecided(), "a repeated commit changes nothing");
            assertFalse(apply(sm, commands.rollback(xid)).getDecided(), "a rejected rollback decides nothing");
        }
    }
}
