package io.tessera.raft.group;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.error.RaftError;
import io.tessera.raft.group.GroupException.Kind;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's configuration changes, through jraft's own (joint-consensus) configuration change on the
 * local node: add a learner, promote a learner to voter, remove a member, hand leadership over. Every
 * future completes within its timeout; a refusal (not the leader, another change running, a member that
 * cannot catch up) fails it with a {@link GroupException}.
 *
 * <p>Promotion is two jraft changes, remove the learner then add the voter, not one {@code changePeers}:
 * in jraft 1.3.15 a change that turns a learner into a voter stops that peer's replicator when it
 * completes ({@code ConfigurationCtx.reset} drops replicators of old learners not in the new learner
 * list), leaving a voter the leader no longer replicates to. {@code addPeer} starts a fresh replicator
 * and waits until the peer is within jraft's catch-up margin, which a caught-up learner already is.
 *
 * <p>That wait can miss its only wake-up (jraft 1.3.15, {@code NodeImpl.ConfigurationCtx.addNewPeers}):
 * {@code addReplicator} starts the replicator, which sends its probe at once, and only then is
 * {@code waitCaughtUp} registered. jraft checks "caught up" only when an AppendEntries (probe or entries)
 * succeeds ({@code Replicator.onAppendEntriesReturned -> notifyOnCaughtUp}), never on a heartbeat, and
 * drops the check when no wait is registered yet. If the probe's answer is handled in that window (a
 * loaded machine: the thread is descheduled between the two calls) and nothing new is written, the
 * replicator idles in "wait for more entries" and the wait never fires; its timer expires every election
 * timeout and {@code NodeImpl.onCaughtUp} re-arms it because the peer's heartbeats keep it "alive". The
 * change then stays in STAGE_CATCHING_UP until the next log entry or a leader change, and jraft refuses
 * every other configuration change (and leadership transfer) meanwhile. So after {@code addPeer} returns
 * (it registers the wait before returning) the leader appends a no-op entry ({@link #noop}): replicating
 * it is an AppendEntries success after the registration, which completes the wait. Until jraft answers
 * the change a no-op follows every {@code nudgeEveryMs}, so a change never stays wedged for want of one.
 */
final class Reconfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(Reconfiguration.class);

    private final String self;
    private final Leadership leadership;
    private final ConfigurationTracker configuration;
    private final Deadlines deadlines;
    private final Executor worker;
    /**
     * Proposes the application's no-op entry (its outcome does not matter, only that it is appended); null
     * when the application has none ({@link CommandStamper#noopDraft}).
     */
    private final Supplier<CompletableFuture<?>> noop;
    private final long nudgeEveryMs;
    private volatile Node node;

    /**
     * @param noop proposes a no-op entry on this (leader) member, or null; see the class comment
     * @param nudgeEveryMs how often a no-op follows while jraft has not answered an added voter's catch-up
     */
    Reconfiguration(String self, Leadership leadership, ConfigurationTracker configuration, Deadlines deadlines,
            Executor worker, Supplier<CompletableFuture<?>> noop, long nudgeEveryMs) {
        this.self = self;
        this.leadership = leadership;
        this.configuration = configuration;
        this.deadlines = deadlines;
        this.worker = worker;
        this.noop = noop;
        this.nudgeEveryMs = Math.max(1, nudgeEveryMs);
    }

    void attach(Node node) {
        this.node = node;
    }

    CompletableFuture<Void> addLearner(String endpoint, long timeoutMs) {
        PeerId peer = parse(endpoint);
        return change("add learner " + endpoint, timeoutMs, (n, done) -> {
            if (configuration.current().isVoter(endpoint)) {
                done.accept(new Status(RaftError.EINVAL, "%s is already a voter", endpoint));
                return;
            }
            n.addLearners(List.of(peer), done::accept);
        });
    }

    /** Makes {@code endpoint} a voter; a learner stops being one first (see the class comment). */
    CompletableFuture<Void> promote(String endpoint, long timeoutMs) {
        PeerId peer = parse(endpoint);
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        CompletableFuture<Void> learnerGone = configuration.current().isLearner(endpoint)
                ? change("stop learner " + endpoint + " (promotion)", timeoutMs,
                        (n, done) -> n.removeLearners(List.of(peer), done::accept))
                : CompletableFuture.completedFuture(null);
        return learnerGone.thenCompose(v -> change("add voter " + endpoint, remaining(deadline), (n, done) -> {
            if (configuration.current().isVoter(endpoint)) {
                done.accept(Status.OK());
                return;
            }
            CompletableFuture<Status> answered = new CompletableFuture<>();
            n.addPeer(peer, st -> {
                answered.complete(st);
                done.accept(st);
            });
            // addPeer has returned normally: jraft's catch-up wait is registered (or the change was refused
            // and answered is about to complete). An entry appended from here on wakes the wait up.
            nudgeCatchUp(endpoint, answered, 0);
        }));
    }

    /**
     * Appends a no-op now and again every {@link #nudgeEveryMs} until jraft answers the addPeer of
     * {@code endpoint} (see the class comment). It stops when jraft answers, this member stops leading
     * (jraft then fails the change: leader stepped down) or the group closes. Deliberately not bounded by
     * the caller's timeout: jraft keeps the change running after the caller gave up, and without an
     * entry it would block every later change.
     */
    private void nudgeCatchUp(String endpoint, CompletableFuture<Status> answered, int round) {
        if (noop == null || answered.isDone() || leadership.closed() || !leadership.state().selfLeader()) {
            return;
        }
        if (round == 1) {
            LOG.info("{}: add voter {} still waits for jraft's catch-up after {} ms; a no-op entry follows every "
                    + "{} ms until it answers", self, endpoint, nudgeEveryMs, nudgeEveryMs);
        }
        CompletableFuture<?> appended;
        try {
            appended = noop.get();
        } catch (RuntimeException e) {
            appended = CompletableFuture.failedFuture(e);
        }
        appended.whenComplete((r, e) -> {
            if (e != null) {
                // The next round tries again; a refused no-op (busy, leadership moving) changes nothing.
                LOG.debug("{}: no-op for the catch-up of {} not appended: {}", self, endpoint, e.toString());
            }
        });
        deadlines.delay(nudgeEveryMs).thenRunAsync(() -> nudgeCatchUp(endpoint, answered, round + 1), worker);
    }

    CompletableFuture<Void> remove(String endpoint, long timeoutMs) {
        PeerId peer = parse(endpoint);
        return change("remove " + endpoint, timeoutMs, (n, done) -> {
            GroupConfiguration c = configuration.current();
            if (c.isVoter(endpoint)) {
                n.removePeer(peer, done::accept);
            } else if (c.isLearner(endpoint)) {
                n.removeLearners(List.of(peer), done::accept);
            } else {
                done.accept(Status.OK());
            }
        });
    }

    /**
     * Hands leadership to {@code endpoint} (jraft sends it TimeoutNow once its log matches) and completes
     * with the new leader once this member follows it. jraft gives up after an election timeout and this
     * member leads again; that fails the future.
     */
    CompletableFuture<String> transferLeadership(String endpoint, long timeoutMs) {
        PeerId peer = parse(endpoint);
        Node n = node;
        if (n == null || !leadership.state().selfLeader()) {
            return CompletableFuture.failedFuture(notLeader());
        }
        CompletableFuture<String> out = deadlines.bound(new CompletableFuture<>(), timeoutMs,
                "leadership transfer to " + endpoint, () -> Kind.TIMEOUT);
        Status st;
        try {
            st = n.transferLeadershipTo(peer);
        } catch (IllegalArgumentException | IllegalStateException e) {
            st = new Status(RaftError.EINVAL, "%s", e.getMessage());
        }
        if (!st.isOk()) {
            out.completeExceptionally(refusal("leadership transfer to " + endpoint, st));
            return out;
        }
        LOG.info("{} hands leadership over to {}", self, endpoint);
        awaitOtherLeader(out, false);
        return out;
    }

    /**
     * jraft reports the step-down (onLeaderStop) on its FSM thread, after transferLeadershipTo returned: until
     * then this member still looks like the leader. Leading again after that ({@code steppedDown}) means
     * jraft gave the transfer up.
     */
    private void awaitOtherLeader(CompletableFuture<String> out, boolean steppedDown) {
        if (out.isDone()) {
            return;
        }
        CompletableFuture<Void> next = leadership.nextChange();
        Leadership.State st = leadership.state();
        if (st.leader() != null && !st.leader().equals(self)) {
            out.complete(st.leader());
            return;
        }
        boolean down = steppedDown || !st.selfLeader();
        if (steppedDown && st.selfLeader()) {
            out.completeExceptionally(new GroupException(Kind.TIMEOUT,
                    "the leadership transfer did not complete (the target did not take over in time); " + self
                            + " still leads"));
            return;
        }
        if (leadership.closed()) {
            out.completeExceptionally(new GroupException(Kind.UNAVAILABLE, "group closed"));
            return;
        }
        next.thenRunAsync(() -> awaitOtherLeader(out, down), worker);
    }

    private interface Step {
        void run(Node node, Consumer<Status> done);
    }

    private CompletableFuture<Void> change(String what, long timeoutMs, Step step) {
        Node n = node;
        if (n == null || !leadership.state().selfLeader()) {
            return CompletableFuture.failedFuture(notLeader());
        }
        CompletableFuture<Void> out = deadlines.bound(new CompletableFuture<>(), Math.max(1, timeoutMs), what,
                () -> Kind.TIMEOUT);
        Consumer<Status> done = st -> worker.execute(() -> {
            configuration.poke();
            if (st.isOk()) {
                out.complete(null);
            } else {
                out.completeExceptionally(refusal(what, st));
            }
        });
        try {
            step.run(n, done);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // jraft's Requires checks (e.g. a peer already in the configuration).
            out.completeExceptionally(new GroupException(Kind.REJECTED, what + ": " + e.getMessage(), e));
        }
        return out;
    }

    private GroupException notLeader() {
        return new GroupException(Kind.NO_LEADER, self + " is not the leader; configuration changes run on the leader");
    }

    private static GroupException refusal(String what, Status st) {
        Kind kind = switch (st.getRaftError() == null ? RaftError.UNKNOWN : st.getRaftError()) {
            case EBUSY -> Kind.BUSY;
            case EPERM -> Kind.LEADERSHIP_CHANGED;
            case ECATCHUP, ETIMEDOUT -> Kind.TIMEOUT;
            case EINVAL -> Kind.REJECTED;
            default -> Kind.UNAVAILABLE;
        };
        return new GroupException(kind, what + ": jraft " + st.getRaftError() + " " + st.getErrorMsg());
    }

    private static long remaining(long deadlineNanos) {
        return Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000L);
    }

    static PeerId parse(String endpoint) {
        PeerId p = PeerId.parsePeer(endpoint);
        if (p == null || p.isEmpty()) {
            throw new IllegalArgumentException("bad endpoint " + endpoint + ", expected host:port");
        }
        return p;
    }
}
