package io.tessera.coordinator.testing;

import io.tessera.coordinator.tc.port.TxLog;
import io.tessera.coordinator.tc.port.TxLogException;
import io.tessera.raft.group.ApplyHaltException;
import io.tessera.raft.group.ApplyTarget;
import io.tessera.raft.group.CommandStamper;
import io.tessera.raft.group.LeaderListener;
import io.tessera.raft.group.ProposalOptions;
import io.tessera.raft.proto.TxCommand;
import io.tessera.raft.tx.TxCommandStamper;
import io.tessera.raft.tx.TxEventListener;
import io.tessera.raft.tx.TxOutcome;
import io.tessera.raft.tx.TxStateMachine;
import io.tessera.raft.tx.TxView;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@link TxLog} in this process, deterministic: the real stamper and state machine (RocksDB in a test
 * directory), a leader whose clock and term the test controls, and no Raft. Proposals apply on the calling
 * thread while a leader is in place; without one they wait (like the group's) until a leader returns or
 * their timeout passes on the {@link ManualScheduler}. Faults: the results of the next proposals can be
 * lost after they applied (what a leader change mid-flight does); an idempotent proposal then settles by
 * proposing again 50 ms later, like the group's retry loop.
 */
public final class InProcessTxLog implements TxLog, AutoCloseable {
    /** The group's re-check interval. */
    static final long RETRY_MS = 50;

    private final TxStateMachine machine;
    private final TxCommandStamper stamper = new TxCommandStamper();
    private final ManualScheduler scheduler;
    private final List<LeaderListener> leaderListeners = new ArrayList<>();
    private final Deque<Pending> waiting = new ArrayDeque<>();
    private final List<TxCommand> applied = new ArrayList<>();
    private long term;
    private boolean leading;
    private long seq;
    private long index;
    private int lostResults;

    private record Pending(TxCommand draft, ProposalOptions options, CompletableFuture<TxOutcome> result) {
    }

    public InProcessTxLog(Path dir, ManualScheduler scheduler) throws IOException {
        this.machine = new TxStateMachine(dir);
        this.scheduler = scheduler;
        machine.open();
    }

    /** This replica leads in {@code newTerm} (ids restart per term); waiting proposals apply now. */
    public void lead(long newTerm) {
        term = newTerm;
        seq = 0;
        leading = true;
        for (LeaderListener l : List.copyOf(leaderListeners)) {
            l.onLeaderStart(newTerm);
        }
        while (leading && !waiting.isEmpty()) {
            attempt(waiting.poll());
        }
    }

    /** No leader any more: proposals wait (until their timeout) for the next {@link #lead}. */
    public void loseLeadership() {
        leading = false;
        for (LeaderListener l : List.copyOf(leaderListeners)) {
            l.onLeaderStop(term);
        }
    }

    /** The next {@code n} proposals apply, but their callers never learn it (leadership changed in flight). */
    public void loseResultsOfNext(int n) {
        lostResults = n;
    }

    /** Every command applied so far, stamped, in log order. */
    public List<TxCommand> applied() {
        return List.copyOf(applied);
    }

    public TxStateMachine machine() {
        return machine;
    }

    @Override
    public CompletableFuture<TxOutcome> propose(TxCommand draft, ProposalOptions options) {
        CompletableFuture<TxOutcome> result = new CompletableFuture<>();
        scheduler.schedule(() -> result.completeExceptionally(new TxLogException(TxLogException.Outcome.UNKNOWN,
                (leading ? "TIMEOUT" : "NO_LEADER") + ": propose not done within " + options.timeoutMs() + " ms", null)),
                options.timeoutMs(), TimeUnit.MILLISECONDS);
        attempt(new Pending(draft, options, result));
        return result;
    }

    private void attempt(Pending p) {
        if (p.result().isDone()) {
            return;
        }
        if (!leading) {
            waiting.add(p);
            return;
        }
        TxOutcome o = apply(p.draft());
        if (lostResults > 0) {
            lostResults--;
            if (p.options().idempotent()) {
                scheduler.schedule(() -> attempt(p), RETRY_MS, TimeUnit.MILLISECONDS);
            } else {
                p.result().completeExceptionally(new TxLogException(TxLogException.Outcome.UNKNOWN,
                        "LEADERSHIP_CHANGED: jraft EPERM: leader stepped down", null));
            }
            return;
        }
        p.result().complete(o);
    }

    private TxOutcome apply(TxCommand draft) {
        long now = scheduler.clock().millis();
        CommandStamper.Stamped stamped = stamper.stampDraft(draft, new CommandStamper.StampContext() {
            @Override
            public long term() {
                return term;
            }

            @Override
            public long nextId() {
                return term << 40 | ++seq;
            }

            @Override
            public long nowMillis() {
                return now;
            }
        });
        applied.add((TxCommand) stamped.decoded());
        try {
            return TxOutcome.of(machine.applyBatch(List.of(new ApplyTarget.Entry(++index, term, stamped.command(),
                    stamped.decoded()))).get(0));
        } catch (ApplyHaltException e) {
            throw new IllegalStateException("apply halted", e);
        }
    }

    @Override
    public CompletableFuture<Void> readBarrier() {
        if (leading) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        scheduler.schedule(() -> f.completeExceptionally(new TxLogException(TxLogException.Outcome.UNKNOWN,
                "NO_LEADER: read barrier not done", null)), 5_000, TimeUnit.MILLISECONDS);
        return f;
    }

    @Override
    public TxView view() {
        return machine.view();
    }

    @Override
    public void addEventListener(TxEventListener listener) {
        machine.addEventListener(listener);
    }

    @Override
    public void addLeaderListener(LeaderListener listener) {
        leaderListeners.add(listener);
        if (leading) {
            listener.onLeaderStart(term);
        }
    }

    @Override
    public void close() {
        machine.close();
    }
}
