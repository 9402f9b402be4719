package io.tessera.raft.group.bench;

import io.tessera.raft.group.ApplyTarget;
import io.tessera.raft.group.CommandStamper;
import io.tessera.raft.group.RaftGroup;
import io.tessera.raft.tx.TxCommandStamper;
import io.tessera.raft.tx.TxCommands;
import io.tessera.raft.tx.TxOutcome;
import io.tessera.raft.tx.TxStateMachine;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Real transaction commands: each chain alternates GlobalBegin and GlobalCommit of the xid it began. */
final class TxScenario {
    private TxScenario() {
    }

    static ReplicationBenchmark.Scenario create() {
        TxCommands commands = new TxCommands();
        return new ReplicationBenchmark.Scenario() {
            @Override
            public String name() {
                return "tx";
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
                    private String xid;

                    @Override
                    public CompletableFuture<byte[]> next() {
                        if (xid == null) {
                            return leader.propose(commands.begin("127.0.0.1:8091", "bench-app", "bench-group",
                                    "bench-tx", 60_000).toByteArray()).thenApply(r -> {
                                        TxOutcome o = TxOutcome.decode(r);
                                        if (!o.success()) {
                                            throw new IllegalStateException("begin refused: " + o);
                                        }
                                        xid = o.xid();
                                        return r;
                                    });
                        }
                        String x = xid;
                        xid = null;
                        return leader.propose(commands.commit(x).toByteArray());
                    }
                };
            }
        };
    }
}
