package io.tessera.raft.tx.bench;

import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.BranchType;
import io.tessera.raft.group.ApplyTarget.Entry;
import io.tessera.raft.group.CommandStamper.StampContext;
import io.tessera.raft.proto.TxCommand;
import io.tessera.raft.tx.TxCommandStamper;
import io.tessera.raft.tx.TxCommands;
import io.tessera.raft.tx.TxOutcome;
import io.tessera.raft.tx.TxStateMachine;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Not a test: CPU time (this thread's, so other load on the machine barely matters) that the leader
 * spends stamping and applying two-branch TCC transactions without Raft: begin, two registrations,
 * commit, then the phase-two answers ({@code -Dbench.mode=single}: one BranchPhaseTwoResult entry per
 * branch; {@code batch}: one BranchPhaseTwoResults entry). {@code -Dbench.inflight} transactions advance
 * in step, one applyBatch per step (what the FSM thread sees under load). {@code -Dbench.decoded=true}
 * hands apply the stamper's TxCommand (leader path); false makes apply decode the bytes (follower path).
 * {@code -Dbench.mode=tx}: begin and commit without branches (ReplicationBenchmark's "tx").
 */
public final class ApplyCost {
    public static void main(String[] args) throws Exception {
        String mode = System.getProperty("bench.mode", "single");
        boolean decoded = Boolean.getBoolean("bench.decoded");
        int inflight = Integer.getInteger("bench.inflight", 64);
        int warmupRounds = Integer.getInteger("bench.warmupRounds", 300);
        int rounds = Integer.getInteger("bench.rounds", 600);
        Path dir = Files.createTempDirectory("tessera-applycost");
        TxCommands commands = new TxCommands();
        TxCommandStamper stamper = new TxCommandStamper();
        long[] ids = {0};
        long[] now = {1_000_000};
        StampContext ctx = new StampContext() {
            public long term() {
                return 1;
            }

            public long nextId() {
                return (1L << 40) | ++ids[0];
            }

            public long nowMillis() {
                return now[0];
            }
        };
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long[] index = {0};
        try (TxStateMachine m = new TxStateMachine(dir)) {
            m.open();
            long stampNs = 0;
            long applyNs = 0;
            long entries = 0;
            for (int round = 0; round < warmupRounds + rounds; round++) {
                boolean measured = round >= warmupRounds;
                if (round == warmupRounds) {
                    stampNs = 0;
                    applyNs = 0;
                    entries = 0;
                }
                String[] xids = new String[inflight];
                long[][] branches = new long[inflight][2];
                int steps = mode.equals("tx") ? 2 : mode.equals("batch") ? 5 : 6;
                for (int step = 0; step < steps; step++) {
                    now[0]++;
                    List<Entry> batch = new ArrayList<>(inflight);
                    long t0 = mx.getCurrentThreadCpuTime();
                    for (int i = 0; i < inflight; i++) {
                        io.tessera.raft.proto.TxCommand draft = mode.equals("tx") && step == 1 ? commands.commit(xids[i]) : switch (step) {
                            case 0 -> commands.begin("127.0.0.1:8091", "bench-app", "bench-group", "bench-tcc", 60_000);
                            case 1, 2 -> commands.register(xids[i], BranchType.TCC, "res-" + step, null,
                                    "bench-app:127.0.0.1:1234", null);
                            case 3 -> commands.commit(xids[i]);
                            default -> mode.equals("batch") ? BatchDraft.of(commands, xids[i], branches[i])
                                    : commands.phaseTwoResult(xids[i], branches[i][step - 4], BranchStatus.PhaseTwo_Committed);
                        };
                        batch.add(entry(stamper, draft.toByteArray(), ctx, ++index[0], decoded));
                    }
                    long t1 = mx.getCurrentThreadCpuTime();
                    List<io.tessera.raft.proto.TxResult> results = m.applyBatch(batch);
                    long t2 = mx.getCurrentThreadCpuTime();
                    stampNs += t1 - t0;
                    applyNs += t2 - t1;
                    entries += batch.size();
                    for (int i = 0; i < inflight; i++) {
                        TxOutcome o = TxOutcome.of(results.get(i));
                        if (!o.success()) {
                            throw new IllegalStateException("step " + step + " refused: " + o);
                        }
                        if (step == 0) {
                            xids[i] = o.xid();
                        } else if (step == 1 || step == 2) {
                            branches[i][step - 1] = o.branchId();
                        }
                    }
                }
                if (measured && round == warmupRounds + rounds - 1) {
                    long tx = (long) rounds * inflight;
                    System.out.printf("RESULT mode=%s decoded=%s inflight=%d: %d tx, %d entries; apply %.2f us CPU/tx"
                            + " (%.2f us/entry), stamp %.2f us CPU/tx%n", mode, decoded, inflight, tx, entries,
                            applyNs / 1000.0 / tx, applyNs / 1000.0 / entries, stampNs / 1000.0 / tx);
                }
            }
        } finally {
            try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static Entry entry(TxCommandStamper stamper, byte[] draft, StampContext ctx, long index, boolean decoded)
            throws Exception {
        if (decoded) {
            var s = LeaderStamp.of(stamper, draft, ctx);
            return new Entry(index, 1, s.command(), s.decoded());
        }
        return new Entry(index, 1, stamper.stamp(draft, ctx));
    }

    /** Separate holders so this class also runs against builds without the batch command / stampDecoded. */
    private static final class BatchDraft {
        static io.tessera.raft.proto.TxCommand of(TxCommands commands, String xid, long[] branches) {
            return commands.phaseTwoResults(xid, List.of(
                    new io.tessera.raft.tx.BranchResult(branches[0], BranchStatus.PhaseTwo_Committed),
                    new io.tessera.raft.tx.BranchResult(branches[1], BranchStatus.PhaseTwo_Committed)));
        }
    }

    private static final class LeaderStamp {
        static io.tessera.raft.group.CommandStamper.Stamped of(TxCommandStamper stamper, byte[] draft, StampContext ctx) {
            return stamper.stampDecoded(draft, ctx);
        }
    }

    static {
        // Keeps the proto class loaded up front in every mode (both builds have it).
        TxCommand.getDefaultInstance();
    }
}
