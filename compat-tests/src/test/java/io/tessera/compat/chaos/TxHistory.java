package io.tessera.compat.chaos;

import java.util.ArrayList;
import java.util.List;
import org.apache.seata.core.model.GlobalStatus;

/**
 * One global transaction as the client saw it: what it meant to do, every request with when it was sent
 * and answered (System.nanoTime of this JVM, the clock the RM records use too), and the answer.
 * Written by the one thread that runs the transaction, read after the load stopped.
 */
final class TxHistory {
    enum Shape { TCC_COMMIT, TCC_ROLLBACK, AT_COMMIT, AT_ROLLBACK }

    /** A branch the TC accepted: its lock keys (AT) and when the register was sent and answered. */
    record Branch(long branchId, String resourceId, String lockKey, long sentNanos, long answeredNanos) {
    }

    final Shape shape;
    final long beginSentNanos;
    final boolean probe;
    String xid;
    final List<Branch> branches = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    /** commit or rollback, as the client decided (a failed register turns a commit into a rollback). */
    boolean endedWithCommit;
    long endSentNanos;
    long endNanos;
    GlobalStatus answered;
    String error;

    TxHistory(Shape shape, boolean probe) {
        this.shape = shape;
        this.probe = probe;
        this.beginSentNanos = System.nanoTime();
    }

    void event(String what) {
        events.add(ChaosClock.stamp(System.nanoTime()) + " " + what);
    }

    /** The client's commit was answered as decided (Committed, or Committing while phase two runs). */
    boolean sawCommitted() {
        return endedWithCommit && COMMIT_DECIDED.contains(answered);
    }

    /** Answers to a commit that mean it was decided (phase two may still run: Seata's TM returns normally). */
    static final java.util.Set<GlobalStatus> COMMIT_DECIDED = java.util.EnumSet.of(GlobalStatus.Committed,
            GlobalStatus.Committing, GlobalStatus.AsyncCommitting, GlobalStatus.CommitRetrying);
    static final java.util.Set<GlobalStatus> ROLLBACK_DECIDED = java.util.EnumSet.of(GlobalStatus.Rollbacked,
            GlobalStatus.Rollbacking, GlobalStatus.RollbackRetrying, GlobalStatus.TimeoutRollbacked,
            GlobalStatus.TimeoutRollbacking, GlobalStatus.TimeoutRollbackRetrying);

    /** The client asked for a rollback and was answered with a rollback status. */
    boolean sawRolledBack() {
        return !endedWithCommit && endSentNanos != 0 && ROLLBACK_DECIDED.contains(answered);
    }

    boolean failed() {
        return error != null;
    }

    @Override
    public String toString() {
        return "tx " + xid + " " + shape + (probe ? " probe" : "") + " began " + ChaosClock.stamp(beginSentNanos)
                + " end " + (endedWithCommit ? "commit" : "rollback") + " answered " + answered
                + (error != null ? " error=" + error : "") + " branches " + branches + " events " + events;
    }
}
