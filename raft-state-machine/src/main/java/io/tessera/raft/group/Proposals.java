package io.tessera.raft.group;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.entity.Task;
import io.tessera.raft.group.GroupException.Kind;
import io.tessera.raft.group.proto.ForwardResponse;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes a draft to whoever can propose it: stamped and applied here when this node is the ready leader,
 * forwarded to the known leader otherwise, or held until a leader appears - all within the proposal's
 * timeout. This is the one retry loop of a proposal. Failures where nothing can have been proposed (no
 * leader, NOT_LEADER answer, connection never made, task refused before append) are always retried; an
 * outcome left unknown (leadership changed after append, a forward lost after sending, a full queue) is
 * retried only for drafts the caller declared idempotent ({@link ProposalOptions}), so a draft is never
 * applied twice by this layer unless applying it twice is harmless.
 *
 * <p>Drafts are objects: the proposer's own draft is stamped here without being serialised; only a
 * forward puts it on the wire ({@link CommandStamper#draftBytes}). Results are the target's objects on the
 * member that applied the entry for its own caller, and bytes when they came back from the leader.
 */
final class Proposals {
    private static final Logger LOG = LoggerFactory.getLogger(Proposals.class);
    /** Re-check interval while waiting, in case a leader change was not signalled to this node. */
    static final long RETRY_MS = 50;

    private final String self;
    private final Leadership leadership;
    private final CommandStamper stamper;
    private final Clock clock;
    private final Deadlines deadlines;
    private final Executor worker;
    private final long requestTimeoutMs;
    private final BooleanSupplier unavailable;
    private volatile Node node;
    private volatile ForwardClient client;
    private final GroupStats stats;

    Proposals(String self, Leadership leadership, CommandStamper stamper, Clock clock, Deadlines deadlines,
            Executor worker, long requestTimeoutMs, BooleanSupplier unavailable, GroupStats stats) {
        this.self = self;
        this.stats = stats;
        this.leadership = leadership;
        this.stamper = stamper;
        this.clock = clock;
        this.deadlines = deadlines;
        this.worker = worker;
        this.requestTimeoutMs = requestTimeoutMs;
        this.unavailable = unavailable;
    }

    void attach(Node node, ForwardClient client) {
        this.node = node;
        this.client = client;
    }

    CompletableFuture<Object> propose(Object draft, ProposalOptions options) {
        return start(new Attempts(draft, options.idempotent(), true), options.timeoutMs());
    }

    /** A follower's draft arriving here; never forwarded on, tried once (the follower retries). */
    CompletableFuture<Object> proposeForwarded(byte[] draft, long senderTimeoutMs) {
        long t = senderTimeoutMs > 0 ? Math.min(senderTimeoutMs, requestTimeoutMs) : requestTimeoutMs;
        return start(new Attempts(draft, false, false), t);
    }

    long requestTimeoutMs() {
        return requestTimeoutMs;
    }

    Optional<String> knownLeader() {
        return Optional.ofNullable(leadership.state().leader());
    }

    /**
     * Proposes an already stamped command with the given expected term. jraft refuses it (EPERM) unless
     * this node is leader in exactly that term, so a command stamped by a deposed leader never commits.
     */
    CompletableFuture<Object> applyStamped(byte[] command, long expectedTerm) {
        CompletableFuture<Object> out = new CompletableFuture<>();
        applyOnce(command, null, expectedTerm).whenComplete(relay(out));
        return out;
    }

    /** Fails with {@link NotAppendedException} when jraft refused the task before appending it. */
    private CompletableFuture<Object> applyOnce(byte[] command, Object decoded, long expectedTerm) {
        ProposalClosure done = new ProposalClosure(decoded);
        node.apply(new Task(ByteBuffer.wrap(command), done, expectedTerm));
        return done.future;
    }

    private CompletableFuture<Object> start(Attempts a, long timeoutMs) {
        CompletableFuture<Object> result = deadlines.bound(new CompletableFuture<>(), timeoutMs, "propose",
                this::expiryKind);
        a.result = result;
        a.deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        stats.proposalStarted();
        result.whenComplete((v, e) -> stats.proposalEnded());
        attempt(a);
        return result;
    }

    Kind expiryKind() {
        return leadership.state().leader() == null ? Kind.NO_LEADER : Kind.TIMEOUT;
    }

    /** One proposal's state across its attempts. */
    private static final class Attempts {
        final Object draft;
        final boolean idempotent;
        final boolean mayForward;
        CompletableFuture<Object> result;
        long deadline;
        private byte[] wire;

        Attempts(Object draft, boolean idempotent, boolean mayForward) {
            this.draft = draft;
            this.idempotent = idempotent;
            this.mayForward = mayForward;
        }

        /** Serialised at most once, and only if a forward needs it. */
        byte[] wire(CommandStamper stamper) {
            if (wire == null) {
                wire = stamper.draftBytes(draft);
            }
            return wire;
        }
    }

    private void attempt(Attempts a) {
        CompletableFuture<Object> result = a.result;
        if (result.isDone()) {
            return;
        }
        if (unavailable.getAsBoolean()) {
            result.completeExceptionally(new GroupException(Kind.UNAVAILABLE, self + " halted or closed"));
            return;
        }
        CompletableFuture<Void> changed = leadership.nextChange();
        Leadership.State st = leadership.state();
        if (st.selfLeader()) {
            stampAndApply(a.draft, st.ids()).whenComplete((v, e) -> {
                if (e != null && Failures.root(e) instanceof NotAppendedException) {
                    // Refused before reaching the log (leadership just moved): nothing applied, so it is
                    // safe to route the draft again, to the new leader.
                    LOG.debug("{} proposal refused before append ({}); retrying", self, e.getMessage());
                    retryLater(changed, a);
                } else if (e != null && settleAgain(a, Failures.unwrap(e))) {
                    retryLater(changed, a);
                } else {
                    relay(result).accept(v, e);
                }
            });
            return;
        }
        if (self.equals(st.leader())) {
            // Leading without an id source: the term is beyond the id layout (see TermIds).
            result.completeExceptionally(new GroupException(Kind.UNAVAILABLE, "term " + st.term()
                    + " exceeds the id space; no proposals possible"));
            return;
        }
        if (st.leader() == null) {
            retryLater(changed, a);
            return;
        }
        if (!a.mayForward) {
            result.completeExceptionally(new GroupException(Kind.NO_LEADER, self + " is not the leader"));
            return;
        }
        long remainingMs = TimeUnit.NANOSECONDS.toMillis(a.deadline - System.nanoTime());
        if (remainingMs <= 0) {
            result.completeExceptionally(new GroupException(Kind.TIMEOUT, "no time left to forward"));
            return;
        }
        byte[] wire;
        try {
            wire = a.wire(stamper);
        } catch (IllegalArgumentException e) {
            result.completeExceptionally(new GroupException(Kind.REJECTED, "draft refused: " + e.getMessage(), e));
            return;
        }
        client.forward(st.leader(), wire, remainingMs).whenComplete((resp, err) -> {
            stats.forwarded(err == null);
            if (err != null) {
                GroupException g = Failures.unwrap(err);
                if (settleAgain(a, g)) {
                    retryLater(changed, a);
                } else {
                    result.completeExceptionally(g);
                }
            } else if (resp.getOutcome() == ForwardResponse.Outcome.APPLIED) {
                result.complete(resp.getResult().toByteArray());
            } else if (resp.getOutcome() == ForwardResponse.Outcome.NOT_LEADER) {
                // Nothing was proposed: wait for this node to learn the new leader, then try again.
                LOG.debug("{} forward to {} refused: {}", self, st.leader(), resp.getMessage());
                retryLater(changed, a);
            } else {
                GroupException g = Failures.fromWire(resp);
                if (settleAgain(a, g)) {
                    retryLater(changed, a);
                } else {
                    result.completeExceptionally(g);
                }
            }
        });
    }

    /**
     * An idempotent draft whose outcome is unknown (or that met a full queue) is proposed again: a repeat
     * returns the outcome of the first, so the caller learns it instead of "unknown".
     */
    private static boolean settleAgain(Attempts a, GroupException g) {
        if (!a.idempotent) {
            return false;
        }
        return switch (g.kind()) {
            case LEADERSHIP_CHANGED, TIMEOUT, BUSY, NO_LEADER -> true;
            case REJECTED, UNAVAILABLE -> false;
        };
    }

    private void retryLater(CompletableFuture<Void> changed, Attempts a) {
        CompletableFuture.anyOf(changed, deadlines.delay(RETRY_MS)).thenRunAsync(() -> attempt(a), worker);
    }

    private CompletableFuture<Object> stampAndApply(Object draft, TermIds ids) {
        CommandStamper.Stamped command;
        try {
            command = stamper.stampDraft(draft, new Stamp(ids, clock.millis()));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new GroupException(Kind.REJECTED, "draft refused: "
                    + e.getMessage(), e));
        } catch (IdSpaceExhaustedException e) {
            return CompletableFuture.failedFuture(new GroupException(Kind.UNAVAILABLE, e.getMessage(), e));
        } catch (RuntimeException e) {
            LOG.error("{} stamper failed", self, e);
            return CompletableFuture.failedFuture(new GroupException(Kind.REJECTED, "stamper failed: " + e, e));
        }
        return applyOnce(command.command(), command.decoded(), ids.term());
    }

    private static <T> BiConsumer<T, Throwable> relay(CompletableFuture<T> result) {
        return (v, e) -> {
            if (e == null) {
                result.complete(v);
            } else {
                result.completeExceptionally(Failures.unwrap(e));
            }
        };
    }

    private record Stamp(TermIds ids, long nowMillis) implements CommandStamper.StampContext {
        @Override
        public long term() {
            return ids.term();
        }

        @Override
        public long nextId() {
            return ids.next();
        }
    }
}
