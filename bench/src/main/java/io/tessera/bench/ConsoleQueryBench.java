package io.tessera.bench;

import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.raft.group.ApplyTarget.Entry;
import io.tessera.raft.group.CommandStamper.StampContext;
import io.tessera.raft.proto.TxCommand;
import io.tessera.raft.tx.ConsolePage;
import io.tessera.raft.tx.GlobalQuery;
import io.tessera.raft.tx.TxCommandStamper;
import io.tessera.raft.tx.TxCommands;
import io.tessera.raft.tx.TxStateMachine;
import io.tessera.raft.tx.TxView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Console query latency over N retained transactions in RocksDB, through the real state machine (no
 * cluster, no HTTP): fills a store by applying stamped commands in batches of 1000, then times each query
 * shape many times and prints median / p99 latency and the records each query read. Results go to
 * docs/benchmarks.md ("Console queries").
 *
 * <pre>
 * java -cp bench/target/tessera-bench.jar io.tessera.bench.ConsoleQueryBench [N] [DIR]
 * </pre>
 *
 * Data: transaction i begins at base + i ms, application app-(i%10), name tx-(i%20); every 1000th is
 * stuck in CommitRetrying (a TCC branch answered a retryable failure), every 20th rolls back, every 50th
 * stays in Begin, the rest commit. Ended ones stay retained (no purge).
 */
public final class ConsoleQueryBench {
    private ConsoleQueryBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("console-bench");
        TxStateMachine sm = new TxStateMachine(dir);
        sm.open();
        try {
            long base = 1_750_000_000_000L;
            long t0 = System.nanoTime();
            fill(sm, n, base);
            System.out.printf("filled %d transactions in %.1f s (%s)%n", n, (System.nanoTime() - t0) / 1e9, dir);
            TxView v = sm.view();
            String someXid = v.queryGlobals(new GlobalQuery(null, null, null, null, null, null, false, 1, 1)).items()
                    .get(0).xid();
            long mid = base + n / 2;
            report("no filter, page 1 of 10", v, q(null, null, null, null, null, 1, 10));
            report("no filter, page 100 of 10", v, q(null, null, null, null, null, 100, 10));
            report("status=Committed, page 1", v, q(null, GlobalStatus.Committed, null, null, null, 1, 10));
            report("status=CommitRetrying (rare), page 1", v, q(null, GlobalStatus.CommitRetrying, null, null, null, 1, 10));
            report("applicationId=app-3, page 1", v, q("app-3", null, null, null, null, 1, 10));
            report("applicationId=app-3, page 999 of 10", v, q("app-3", null, null, null, null, 999, 10));
            report("time window of 60 s, page 1", v, q(null, null, null, mid, mid + 59_999, 1, 10));
            report("applicationId=app-3 + status=Begin, page 1", v, q("app-3", GlobalStatus.Begin, null, null, null, 1, 10));
            report("xid", v, new GlobalQuery(someXid, null, null, null, null, null, true, 1, 10));
        } finally {
            sm.close();
        }
    }

    private static GlobalQuery q(String app, GlobalStatus status, String name, Long from, Long to, int page, int size) {
        return new GlobalQuery(null, app, status, name, from, to, false, page, size);
    }

    private static void report(String what, TxView v, GlobalQuery query) {
        ConsolePage<?> last = null;
        for (int i = 0; i < 50; i++) {
            last = v.queryGlobals(query);
        }
        int runs = 300;
        long[] nanos = new long[runs];
        for (int i = 0; i < runs; i++) {
            long s = System.nanoTime();
            last = v.queryGlobals(query);
            nanos[i] = System.nanoTime() - s;
        }
        Arrays.sort(nanos);
        System.out.printf("%-45s median %8.3f ms  p99 %8.3f ms  total %9d  records read %7d%n", what,
                nanos[runs / 2] / 1e6, nanos[runs * 99 / 100] / 1e6, last.total(), last.recordsRead());
    }

    private static void fill(TxStateMachine sm, int n, long base) throws Exception {
        TxCommands c = new TxCommands();
        TxCommandStamper stamper = new TxCommandStamper();
        long[] clock = {base};
        long[] ids = {1};
        StampContext ctx = new StampContext() {
            @Override
            public long term() {
                return 1;
            }

            @Override
            public long nextId() {
                return ids[0]++;
            }

            @Override
            public long nowMillis() {
                return clock[0];
            }
        };
        long index = sm.lastAppliedIndex() + 1;
        int chunk = 1_000;
        for (int from = 0; from < n; from += chunk) {
            int to = Math.min(n, from + chunk);
            List<Entry> begins = new ArrayList<>();
            List<String> xids = new ArrayList<>();
            for (int i = from; i < to; i++) {
                clock[0] = base + i;
                TxCommand cmd = c.begin("10.0.0.1:8091", "app-" + (i % 10), "grp", "tx-" + (i % 20), 3_600_000);
                byte[] stamped = stamper.stamp(cmd.toByteArray(), ctx);
                begins.add(new Entry(index++, 1, stamped));
                xids.add(TxCommand.parseFrom(stamped).getBegin().getXid());
            }
            sm.applyBatch(begins);
            List<Entry> next = new ArrayList<>();
            List<String> stuck = new ArrayList<>();
            for (int i = from; i < to; i++) {
                String xid = xids.get(i - from);
                Supplier<TxCommand> decide;
                if (i % 1000 == 999) {
                    next.add(new Entry(index++, 1, stamper.stamp(c.register(xid, BranchType.TCC, "tcc", null, "c", null)
                            .toByteArray(), ctx)));
                    stuck.add(xid);
                    decide = () -> c.commit(xid);
                } else if (i % 50 == 49) {
                    continue;
                } else if (i % 20 == 19) {
                    decide = () -> c.rollback(xid);
                } else {
                    decide = () -> c.commit(xid);
                }
                next.add(new Entry(index++, 1, stamper.stamp(decide.get().toByteArray(), ctx)));
            }
            sm.applyBatch(next);
            if (!stuck.isEmpty()) {
                List<Entry> fails = new ArrayList<>();
                for (String xid : stuck) {
                    long branch = sm.view().branches(xid).get(0).branchId();
                    fails.add(new Entry(index++, 1, stamper.stamp(c.phaseTwoResult(xid, branch,
                            BranchStatus.PhaseTwo_CommitFailed_Retryable).toByteArray(), ctx)));
                }
                sm.applyBatch(fails);
            }
        }
    }
}
