package io.tessera.raft.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.raft.group.ApplyHaltException;
import io.tessera.raft.group.ApplyTarget.Entry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Failures halt the replica with nothing of the batch applied; replays skip what is already stored. */
@Timeout(60)
class TxApplyFailureTest {
    @TempDir
    Path tmp;

    @Test
    void undecodableCommandHaltsAndDiscardsTheWholeBatch() throws Exception {
        try (Harness h = new Harness(tmp)) {
            h.apply(h.commands.begin("n:1", "app", "grp", "a", 60_000));
            String digest = h.view().digest();
            long index = h.machine.lastAppliedIndex();
            List<Entry> batch = List.of(
                    new Entry(index + 1, 1, h.stamp(h.commands.begin("n:1", "app", "grp", "b", 60_000))),
                    new Entry(index + 2, 1, new byte[] {(byte) 0xff, 0x01, 0x02}));
            ApplyHaltException e = assertThrows(ApplyHaltException.class, () -> h.machine.applyBatch(batch));
            assertTrue(e.getMessage().contains("index " + (index + 2)), e.getMessage());
            assertEquals(index, h.machine.lastAppliedIndex());
            assertEquals(digest, h.view().digest(), "the valid first entry of the batch was not applied");
        }
    }

    @Test
    void unstampedCommandHalts() throws Exception {
        try (Harness h = new Harness(tmp)) {
            List<Entry> batch = List.of(new Entry(1, 1, h.commands.begin("n:1", "app", "grp", "a", 60_000).toByteArray()));
            assertThrows(ApplyHaltException.class, () -> h.machine.applyBatch(batch));
            assertEquals(0, h.machine.lastAppliedIndex());
        }
    }

    @Test
    void closedStoreHalts() throws Exception {
        try (Harness h = new Harness(tmp)) {
            h.apply(h.commands.begin("n:1", "app", "grp", "a", 60_000));
            h.machine.store().close(); // the RocksDB underneath is gone
            List<Entry> batch = List.of(new Entry(2, 1, h.stamp(h.commands.noop())));
            ApplyHaltException e = assertThrows(ApplyHaltException.class, () -> h.machine.applyBatch(batch));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
    }

    @Test
    void corruptStoredRecordHaltsInsteadOfBeingSkipped() throws Exception {
        String xid;
        try (Harness h = new Harness(tmp)) {
            xid = h.apply(h.commands.begin("n:1", "app", "grp", "a", 60_000)).xid();
            // Damage the stored row for real, in RocksDB, the way a bad disk or a bad upgrade would.
            try (BatchKv raw = h.machine.store().newBatch()) {
                raw.put(Table.GLOBALS, StoreKeys.xid(xid), new byte[] {(byte) 0xff, (byte) 0xff, 0x7f});
                h.machine.store().commit(raw, h.machine.lastAppliedIndex());
            }
            long index = h.machine.lastAppliedIndex();
            ApplyHaltException e = assertThrows(ApplyHaltException.class,
                    () -> h.apply(h.commands.register(xid, BranchType.AT, "r", "t:1", "c", null)));
            assertTrue(e.getMessage().contains("undecodable stored global"), e.getMessage());
            assertEquals(index, h.machine.lastAppliedIndex());
        }
    }

    @Test
    void replayAfterReopenSkipsAppliedEntriesAndMatchesSingleApply() throws Exception {
        List<Entry> log = new ArrayList<>();
        String reference;
        try (Harness h = new Harness(tmp.resolve("ref"))) {
            h.at(1000);
            long i = 1;
            String xid = "n:1:1"; // the first nextId of the harness
            log.add(new Entry(i++, 1, h.stamp(h.commands.begin("n:1", "app", "grp", "a", 60_000))));
            log.add(new Entry(i++, 1, h.stamp(h.commands.register(xid, BranchType.AT, "r", "t:1", "c", null))));
            log.add(new Entry(i++, 1, h.stamp(h.commands.register(xid, BranchType.TCC, "r2", null, "c", null))));
            log.add(new Entry(i++, 1, h.stamp(h.commands.commit(xid))));
            log.add(new Entry(i++, 1, h.stamp(h.commands.begin("n:1", "app", "grp", "b", 60_000))));
            // Index gaps are normal (configuration entries never reach the state machine).
            log.add(new Entry(i + 3, 1, h.stamp(h.commands.rollback(xid))));
            log.add(new Entry(i + 4, 1, h.stamp(h.commands.noop())));
            h.machine.applyBatch(log);
            reference = h.view().digest();
        }
        Path dir = tmp.resolve("replica");
        try (TxStateMachine m = new TxStateMachine(dir)) {
            m.open();
            m.applyBatch(log.subList(0, 4));
            assertEquals(4, m.lastAppliedIndex());
        }
        try (TxStateMachine m = new TxStateMachine(dir)) {
            m.open();
            assertEquals(4, m.lastAppliedIndex(), "index survives a restart");
            // jraft replays from its own applied index, which may be older than ours.
            List<io.tessera.raft.proto.TxResult> results = m.applyBatch(log);
            TxCommands c = new TxCommands();
            for (int k = 0; k < 4; k++) {
                TxOutcome o = TxOutcome.of(results.get(k));
                assertFalse(o.applied());
                assertTrue(o.message().contains("already applied"), o.message());
            }
            assertTrue(TxOutcome.of(results.get(4)).applied());
            TxOutcome rollback = TxOutcome.of(results.get(5));
            assertEquals(GlobalStatus.Committing, rollback.globalStatus(),
                    "rollback after the commit decision is rejected with the live status");
            assertFalse(rollback.success());
            assertEquals(log.get(log.size() - 1).index(), m.lastAppliedIndex());
            assertEquals(reference, m.view().digest());
            m.applyBatch(log);
            assertEquals(reference, m.view().digest(), "a full replay changes nothing");
        }
    }
}
