package io.tessera.raft.group;

import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.error.RaftError;
import io.tessera.raft.group.GroupException.Kind;
import io.tessera.raft.group.proto.ForwardResponse;

/** The one place that maps jraft statuses and wire outcomes to {@link GroupException} kinds. */
final class Failures {
    private Failures() {
    }

    static GroupException fromStatus(Status st) {
        RaftError err = st.getRaftError();
        Kind kind = switch (err == null ? RaftError.UNKNOWN : err) {
            // "queue is full": the client may retry later.
            case EBUSY -> Kind.BUSY;
            // Not leader at apply time, expected term mismatch, or "leader stepped down" before commit.
            case EPERM -> Kind.LEADERSHIP_CHANGED;
            case ETIMEDOUT -> Kind.TIMEOUT;
            default -> Kind.UNAVAILABLE;
        };
        return new GroupException(kind, "jraft " + err + ": " + st.getErrorMsg());
    }

    static GroupException fromWire(ForwardResponse r) {
        Kind kind = switch (r.getOutcome()) {
            case BUSY -> Kind.BUSY;
            case LEADERSHIP_CHANGED -> Kind.LEADERSHIP_CHANGED;
            case TIMEOUT -> Kind.TIMEOUT;
            case REJECTED -> Kind.REJECTED;
            case NOT_LEADER -> Kind.NO_LEADER;
            default -> Kind.UNAVAILABLE;
        };
        return new GroupException(kind, "leader answered: " + r.getMessage());
    }

    static ForwardResponse.Outcome toWire(Kind kind) {
        return switch (kind) {
            case BUSY -> ForwardResponse.Outcome.BUSY;
            case LEADERSHIP_CHANGED -> ForwardResponse.Outcome.LEADERSHIP_CHANGED;
            case TIMEOUT -> ForwardResponse.Outcome.TIMEOUT;
            case REJECTED -> ForwardResponse.Outcome.REJECTED;
            case NO_LEADER -> ForwardResponse.Outcome.NOT_LEADER;
            case UNAVAILABLE -> ForwardResponse.Outcome.UNAVAILABLE;
        };
    }

    static GroupException unwrap(Throwable t) {
        Throwable c = root(t);
        if (c instanceof NotAppendedException n) {
            return n.failure();
        }
        return c instanceof GroupException g ? g : new GroupException(Kind.UNAVAILABLE, String.valueOf(c), c);
    }

    /**
     * True when jraft refused the task before appending it (NodeImpl's "Is not leader.", the expected-term
     * check, and "Is transferring leadership." while a leader hands over), as opposed to "leader stepped
     * down", where the entry may still commit. jraft distinguishes them only by message, so this matches
     * the messages of jraft-core 1.3.x.
     */
    static boolean neverAppended(Status st) {
        if (st.getErrorMsg() == null) {
            return false;
        }
        String msg = st.getErrorMsg();
        if (st.getRaftError() == RaftError.EBUSY) {
            // executeApplyingTasks: the node is in STATE_TRANSFERRING and appends nothing.
            return msg.startsWith("Is transferring leadership");
        }
        return st.getRaftError() == RaftError.EPERM
                && (msg.startsWith("Is not leader") || msg.contains("doesn't match current_term"));
    }

    /** The cause behind CompletableFuture's wrappers. */
    static Throwable root(Throwable t) {
        Throwable c = t;
        while ((c instanceof java.util.concurrent.CompletionException
                || c instanceof java.util.concurrent.ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }
}
