package io.tessera.raft.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console queries read what they page, not what they skip: over a few thousand retained transactions
 * (a third ended, in several applications), the first page of each single filter reads pageSize records,
 * totals come from the counters, time bounds are key ranges; and the index survives a snapshot and a
 * rebuild for a store written without it.
 */
@Timeout(120)
class ConsoleQueryTest {
    private static final int N = 1_500;

    @TempDir
    Path tmp;

    /** Transaction i begins at 1000*i ms, app "app-(i%3)", name "tx-(i%5)"; every third commits at once. */
    private static List<String> fill(Harness h) throws Exception {
        List<String> xids = new ArrayList<>();
        for (int i = 0; i < N; i += 500) { // N is a multiple of 500
            List<io.tessera.raft.proto.TxCommand> batch = new ArrayList<>();
            for (int j = i; j < i + 500; j++) {
                batch.add(h.commands.begin("10.0.0.1:8091", "app-" + (j % 3), "grp", "tx-" + (j % 5), 3_600_000));
            }
            for (int j = i; j < i + 500; j++) {
                h.at(1_000L * (j + 1));
                xids.add(h.apply(batch.get(j - i)).xid());
            }
        }
        for (int i = 0; i < N; i += 3) {
            h.apply(h.commands.commit(xids.get(i)));
        }
        h.apply(h.commands.register(xids.get(1), BranchType.AT, "jdbc:db", "t:1,2", "c", null));
        return xids;
    }

    @Test
    void firstPagesReadOnlyThePage() throws Exception {
        try (Harness h = new Harness(tmp.resolve("h"))) {
            List<String> xids = fill(h);
            TxView v = h.view();

            ConsolePage<ConsoleTx> all = v.queryGlobals(new GlobalQuery(null, null, null, null, null, null, false, 1, 10));
            assertEquals(N, all.total());
            assertEquals(10, all.recordsRead(), "no filter: the page only");
            assertEquals(xids.get(N - 1), all.items().get(0).xid(), "newest first");

            ConsolePage<ConsoleTx> committed = v.queryGlobals(new GlobalQuery(null, null, GlobalStatus.Committed, null,
                    null, null, false, 1, 20));
            assertEquals(N / 3, committed.total());
            assertEquals(20, committed.recordsRead());
            assertTrue(committed.items().stream().allMatch(t -> !t.live() && t.status() == GlobalStatus.Committed));

            ConsolePage<ConsoleTx> app = v.queryGlobals(new GlobalQuery(null, "app-1", null, null, null, null, false, 3, 10));
            assertEquals(N / 3, app.total());
            assertEquals(10, app.recordsRead(), "page 3: skipped entries are keys only");
            assertTrue(app.items().stream().allMatch(t -> t.applicationId().equals("app-1")));

            // Time bounds: a key range (counted over index keys, no record read beyond the page).
            ConsolePage<ConsoleTx> window = v.queryGlobals(new GlobalQuery(null, null, null, null, 100_500L, 200_999L,
                    false, 1, 10));
            assertEquals(101, window.total(), "begin times 101 s .. 200 s, second granularity");
            assertEquals(10, window.recordsRead());

            // Two filters: the smaller index is walked (name: N/5), the other checked on each record.
            ConsolePage<ConsoleTx> both = v.queryGlobals(new GlobalQuery(null, "app-0", null, "tx-0", null, null, false, 1, 5));
            assertEquals(N / 15, both.total());
            assertEquals(N / 5, both.recordsRead());

            ConsolePage<LockRow> locks = v.queryLocks(new LockQuery(null, "t", null, null, null, null, null, null, 1, 10));
            assertEquals(2, locks.total());
            assertEquals(v.lockCount(), 2);
            assertNull(ConsoleIndexCheck.mismatch(h.machine));
        }
    }

    @Test
    void indexTravelsWithSnapshots() throws Exception {
        Path snap = tmp.resolve("snap");
        java.nio.file.Files.createDirectories(snap);
        try (Harness a = new Harness(tmp.resolve("a")); Harness b = new Harness(tmp.resolve("b"))) {
            fill(a);
            a.machine.saveSnapshot(snap);
            b.machine.loadSnapshot(snap);
            assertEquals(a.view().digest(), b.view().digest());
            assertEquals(N, b.view().queryGlobals(new GlobalQuery(null, null, null, null, null, null, false, 1, 1)).total());
        }
    }
}
