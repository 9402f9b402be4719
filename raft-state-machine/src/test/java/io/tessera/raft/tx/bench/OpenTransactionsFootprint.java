package io.tessera.raft.tx.bench;

import io.tessera.codec.message.BranchType;
import io.tessera.raft.group.ApplyTarget.Entry;
import io.tessera.raft.group.CommandStamper.StampContext;
import io.tessera.raft.tx.TxCommandStamper;
import io.tessera.raft.tx.TxCommands;
import io.tessera.raft.tx.TxOutcome;
import io.tessera.raft.tx.TxStateMachine;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Not a test: how much heap and disk N open transactions (each with one TCC branch) take, and how
 * long a checkpoint snapshot of them takes. State lives in RocksDB, so the heap should stay flat.
 * Run with a small heap (e.g. -Xmx512m) to prove the bound; see docs/benchmarks.md "State footprint".
 */
public final class OpenTransactionsFootprint {
    private static final int BATCH = 512;

    public static void main(String[] args) throws Exception {
        int n = Integer.getInteger("bench.transactions", 1_000_000);
        Path dir = Files.createTempDirectory("tessera-footprint");
        TxCommands commands = new TxCommands();
        TxCommandStamper stamper = new TxCommandStamper();
        long[] ids = {0};
        StampContext ctx = new StampContext() {
            public long term() {
                return 1;
            }

            public long nextId() {
                return (1L << 40) | ++ids[0];
            }

            public long nowMillis() {
                return 1_700_000_000_000L;
            }
        };
        try (TxStateMachine sm = new TxStateMachine(dir.resolve("state"))) {
            sm.open();
            long index = 0;
            long start = System.nanoTime();
            List<Entry> batch = new ArrayList<>(BATCH);
            List<String> xids = new ArrayList<>(BATCH);
            for (int done = 0; done < n; ) {
                batch.clear();
                int k = Math.min(BATCH, n - done);
                for (int i = 0; i < k; i++) {
                    byte[] begin = stamper.stamp(commands.begin("127.0.0.1:8091", "app", "group", "tx", 3_600_000L).toByteArray(), ctx);
                    batch.add(new Entry(++index, 1, begin));
                }
                xids.clear();
                for (io.tessera.raft.proto.TxResult r : sm.applyBatch(batch)) {
                    TxOutcome o = TxOutcome.of(r);
                    xids.add(o.xid());
                }
                batch.clear();
                for (String xid : xids) {
                    byte[] reg = stamper.stamp(commands.register(xid, BranchType.TCC, "tcc-action", null,
                            "app:127.0.0.1:40000", "{\"actionContext\":{\"amount\":100}}").toByteArray(), ctx);
                    batch.add(new Entry(++index, 1, reg));
                }
                sm.applyBatch(batch);
                done += k;
            }
            double loadSec = (System.nanoTime() - start) / 1e9;

            System.gc();
            System.gc();
            long heapUsed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long maxHeap = Runtime.getRuntime().maxMemory();

            Path snap = dir.resolve("snapshot");
            Files.createDirectories(snap);
            long s0 = System.nanoTime();
            sm.saveSnapshot(snap);
            double snapSec = (System.nanoTime() - s0) / 1e9;

            System.out.printf("open transactions: %,d (each with one TCC branch), %,d entries applied in %.1f s (%.0f entries/s)%n",
                    n, index, loadSec, index / loadSec);
            System.out.printf("heap used after GC: %,d MB (max heap %,d MB)%n", heapUsed >> 20, maxHeap >> 20);
            System.out.printf("store on disk: %,d MB; checkpoint snapshot: %.2f s (%,d MB)%n",
                    size(dir.resolve("state")) >> 20, snapSec, size(snap) >> 20);
        } finally {
            delete(dir);
        }
    }

    private static long size(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static void delete(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
