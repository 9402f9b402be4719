package io.tessera.raft.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tessera.codec.message.BranchType;
import io.tessera.raft.group.CommandStamper.StampContext;
import io.tessera.raft.proto.TxCommand;
import org.junit.jupiter.api.Test;

class TxCommandStamperTest {
    private final TxCommands commands = new TxCommands();
    private final TxCommandStamper stamper = new TxCommandStamper();

    private static StampContext ctx(long term, long firstId, long now) {
        long[] next = {firstId};
        return new StampContext() {
            @Override
            public long term() {
                return term;
            }

            @Override
            public long nextId() {
                return next[0]++;
            }

            @Override
            public long nowMillis() {
                return now;
            }
        };
    }

    @Test
    void beginGetsIdXidTimesFromTheLeader() throws Exception {
        TxCommand draftCmd = commands.begin("192.168.0.7:8091", "app", "grp", "name", 30_000, "{\"a\":1}");
        byte[] draft = draftCmd.toByteArray();
        assertEquals(0, draftCmd.getBegin().getTransactionId(), "drafts are unstamped");
        TxCommand c = TxCommand.parseFrom(stamper.stamp(draft, ctx(3, 77, 5_000)));
        assertEquals(5_000, c.getStampTime());
        assertEquals(0, c.getStampTerm(), "stamp_term is deprecated: never read, no longer written");
        assertEquals(c, stamper.stampDraft(draftCmd, ctx(3, 77, 5_000)).decoded(),
                "the typed draft is stamped like its bytes, without a decode");
        assertEquals(77, c.getBegin().getTransactionId());
        assertEquals("192.168.0.7:8091:77", c.getBegin().getXid());
        assertEquals(5_000, c.getBegin().getBeginTime());
        assertEquals(35_000, c.getBegin().getDeadline());
        assertEquals("{\"a\":1}", c.getBegin().getApplicationData());
    }

    @Test
    void registerGetsBranchIdAndPurgeItsCutoff() throws Exception {
        TxCommand r = TxCommand.parseFrom(stamper.stamp(
                commands.register("x:1", BranchType.TCC, "res", null, "app:1.2.3.4:5", null).toByteArray(), ctx(1, 9, 100)));
        assertEquals(9, r.getRegister().getBranchId());
        assertFalse(r.getRegister().hasLockKey());
        TxCommand p = TxCommand.parseFrom(stamper.stamp(commands.purgeEnded(60_000, 10).toByteArray(), ctx(1, 1, 100_000)));
        assertEquals(40_000, p.getPurge().getCutoffTime());
        TxCommand n = TxCommand.parseFrom(stamper.stamp(commands.commit("x:1").toByteArray(), ctx(2, 1, 123)));
        assertEquals(123, n.getStampTime());
        assertEquals("x:1", n.getDecide().getXid());
    }

    @Test
    void badDraftsAreRefusedBeforeProposing() {
        assertThrows(IllegalArgumentException.class, () -> stamper.stamp(new byte[] {(byte) 0xff, 0x00}, ctx(1, 1, 1)));
        assertThrows(IllegalArgumentException.class, () -> stamper.stamp(new byte[0], ctx(1, 1, 1)));
        assertThrows(IllegalArgumentException.class,
                () -> stamper.stamp(commands.begin("", "a", "g", "n", 1000).toByteArray(), ctx(1, 1, 1)));
        assertThrows(IllegalArgumentException.class,
                () -> stamper.stamp(commands.begin("h:1", "a", "g", "n", -1).toByteArray(), ctx(1, 1, 1)));
        byte[] noDecision = TxCommand.newBuilder()
                .setDecide(io.tessera.raft.proto.DecideGlobal.newBuilder().setXid("x:1")).build().toByteArray();
        assertThrows(IllegalArgumentException.class, () -> stamper.stamp(noDecision, ctx(1, 1, 1)));
    }

    @Test
    void decodeRejectsGarbageResults() {
        assertThrows(IllegalArgumentException.class, () -> TxOutcome.decode(new byte[] {(byte) 0xff}));
    }
}
