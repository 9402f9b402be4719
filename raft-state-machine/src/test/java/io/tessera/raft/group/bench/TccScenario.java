package io.tessera.raft.group.bench;

import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.BranchType;
import io.tessera.raft.group.ApplyTarget;
import io.tessera.raft.group.CommandStamper;
import io.tessera.raft.group.RaftGroup;
import io.tessera.raft.tx.BranchResult;
import io.tessera.raft.tx.TxCommandStamper;
import io.tessera.raft.tx.TxCommands;
import io.tessera.raft.tx.TxOutcome;
import io.tessera.raft.tx.TxStateMachine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A two-branch TCC transaction as the coordinator writes it: begin, two RegisterBranch, commit, then the
 * phase-two answers of both branches, as two BranchPhaseTwoResult entries ("tcc2", 6 commands per
 * transaction) or as one BranchPhaseTwoResults entry ("tcc2b", 5 commands per transaction).
 */
final class TccScenario {
    private TccScenario() {
    }

    static ReplicationBenchmark.Scenario create(boolean batched) {
        int last = batched ? 4 : 5;
        TxCommands commands = new TxCommands();
        return new ReplicationBenchmark.Scenario() {
            @Override
            public String name() {
                return batched ? "tcc2b" : "tcc2";
            }

            @Override
            public ApplyTarget target(Path dir) {
                return new TxStateMachine(dir);
            }

            @Override
            public CommandStamper stamper() {
                return new TxCommandStamper();
            }

            @Override
            public Supplier<ReplicationBenchmark.Chain> chains(RaftGroup leader) {
                return () -> new ReplicationBenchmark.Chain() {
                    private int step;
                    private String xid;
                    private final List<Long> branches = new ArrayList<>();

                    @Override
                    public CompletableFuture<byte[]> next() {
                        io.tessera.raft.proto.TxCommand cmd = switch (step) {
                            case 0 -> commands.begin("127.0.0.1:8091", "bench-app", "bench-group", "bench-tcc", 60_000);
                            case 1, 2 -> commands.register(xid, BranchType.TCC, "bench-res-" + step, null,
                                    "bench-app:127.0.0.1:1234", null);
                            case 3 -> commands.commit(xid);
                            default -> batched
                                    ? commands.phaseTwoResults(xid, branches.stream()
                                            .map(b -> new BranchResult(b, BranchStatus.PhaseTwo_Committed)).toList())
                                    : commands.phaseTwoResult(xid, branches.get(step - 4), BranchStatus.PhaseTwo_Committed);
                        };
                        int at = step;
                        // Advance only on success: a failed proposal is retried by the load loop with the same
                        // step; a refused one starts a fresh transaction.
                        return leader.propose(cmd.toByteArray()).thenApply(r -> {
                            TxOutcome o = TxOutcome.decode(r);
                            if (!o.success()) {
                                step = 0;
                                throw new IllegalStateException("step " + at + " refused: " + o);
                            }
                            step = at == last ? 0 : at + 1;
                            if (at == 0) {
                                xid = o.xid();
                                branches.clear();
                            } else if (at == 1 || at == 2) {
                                branches.add(o.branchId());
                            }
                            return r;
                        });
                    }
                };
            }
        };
    }
}
