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
 */
final class Reconfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(Reconfiguration.class);

    private final String self;
    private final Leadership leadership;
    private final ConfigurationTracker configuration;
    private final Deadlines deadlines;
    private final Executor worker;
    private volatile Node node;

    Reconfiguration(String self, Leadership leadership, ConfigurationTracker configuration, Deadlines deadlines,
            Executor worker) {
        this.self = self;
        this.leadership = leadership;
        this.configuration = configuration;
        this.deadlines = deadlines;
        this.worker = worker;
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
            n.addPeer(peer, done::accept);
        }));
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
