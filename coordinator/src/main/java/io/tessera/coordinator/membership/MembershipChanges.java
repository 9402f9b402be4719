package io.tessera.coordinator.membership;

import io.tessera.coordinator.config.ConfigException;
import io.tessera.coordinator.config.MemberSpec;
import io.tessera.coordinator.control.MemberAdmin.Answer;
import io.tessera.coordinator.control.MemberOp;
import io.tessera.coordinator.tc.port.TxLog;
import io.tessera.raft.group.ProposalOptions;
import io.tessera.raft.group.GroupConfiguration;
import io.tessera.raft.group.GroupException;
import io.tessera.raft.group.RaftGroup;
import io.tessera.raft.tx.MemberLimits;
import io.tessera.raft.tx.TxCommands;
import io.tessera.raft.tx.TxOutcome;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Membership changes, executed on the leader, one at a time (jraft refuses overlapping configuration
 * changes anyway; refusing here gives the operator a clear 409). The member directory and jraft's
 * configuration are changed in an order that never lists a member without endpoints:
 *
 * <ul>
 *   <li><b>add</b>: the node must already run (with {@code cluster.join=true}) and say it is the member asked
 *       for; directory entry; learner (it receives a snapshot and the log, not voting); wait until it has
 *       applied what the leader has (within jraft's catch-up margin); voter.</li>
 *   <li><b>remove</b>: configuration first, then the directory entry. The leader itself is removed by its
 *       successor: it first hands leadership to the voter furthest ahead, then passes the removal on.</li>
 *   <li><b>replace</b>: add the new member, then remove the old: the voters never drop below the count
 *       before the change, so a majority of them is never lost on the way.</li>
 * </ul>
 *
 * After every configuration step a no-op entry is proposed: applying it is what makes every member re-read
 * the configuration at once (jraft announces a learner's arrival to nobody), so the registry metadata and
 * /health show the change immediately.
 */
final class MembershipChanges {
    private static final Logger LOG = LoggerFactory.getLogger(MembershipChanges.class);
    /** jraft's default catch-up margin (NodeOptions.catchupMargin): addPeer accepts a peer this close. */
    static final long CATCH_UP_MARGIN = 1_000;
    private static final long POLL_MS = 200;
    /** One identity question to a new node; a JVM that has just started may take seconds to answer its first. */
    private static final long IDENTITY_MS = 5_000;
    /** How long a new node that does not answer (yet: it may still be starting) is asked again. */
    private static final long IDENTITY_PATIENCE_MS = 30_000;
    private static final long IDENTITY_RETRY_MS = 500;

    private final MembershipService service;
    private final RaftGroup group;
    private final TxLog log;
    private final ProposalOptions proposal;
    private final TxCommands commands;
    private final ClusterMembers members;
    private final ScheduledExecutorService scheduler;
    private final AtomicReference<String> running = new AtomicReference<>();

    MembershipChanges(MembershipService service, RaftGroup group, TxLog log, ProposalOptions proposal,
            TxCommands commands, ClusterMembers members, ScheduledExecutorService scheduler) {
        this.service = service;
        this.group = group;
        this.log = log;
        this.proposal = proposal;
        this.commands = commands;
        this.members = members;
        this.scheduler = scheduler;
    }

    /** Runs {@code op} unless another change is running; completes with the answer, never exceptionally. */
    CompletableFuture<Answer> run(MemberOp op) {
        String what = op.kind() + " " + (op.kind() == MemberOp.Kind.CHANGE_CLUSTER ? op.raftEndpoints() : op.member());
        if (!running.compareAndSet(null, what)) {
            return CompletableFuture.completedFuture(Answer.error(409, "another membership change is running ("
                    + running.get() + "); wait for it to finish"));
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(op.timeoutMs());
        CompletableFuture<Answer> result;
        try {
            result = switch (op.kind()) {
                case ADD -> add(parse(op.member()), op.requestedBy(), deadline);
                case REMOVE -> remove(op.member(), op, deadline);
                case REPLACE -> replace(op, deadline);
                case TRANSFER_LEADER -> transfer(op.member(), deadline);
                case CHANGE_CLUSTER -> changeCluster(op, deadline);
                default -> CompletableFuture.completedFuture(Answer.error(400, "not a change: " + op.kind()));
            };
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.handle((a, e) -> {
            running.set(null);
            Answer answer = a != null ? a : failure(e);
            MembershipService.logAnswer(op, answer);
            return answer;
        });
    }

    // ---- add ------------------------------------------------------------------------------------------

    private CompletableFuture<Answer> add(MemberSpec spec, String requestedBy, long deadline) {
        String raft = spec.raft().toString();
        GroupConfiguration conf = group.configuration();
        Optional<KnownMember> sameId = members.find(spec.id());
        if (sameId.isPresent() && !sameId.get().raftEndpoint().equals(raft)
                && sameId.get().kind() != KnownMember.Kind.NOT_IN_CONFIGURATION) {
            throw new MembershipRefusal(409, "node id " + spec.id() + " already belongs to the member at "
                    + sameId.get().raftEndpoint() + "; remove it first or choose another id");
        }
        if (conf.isVoter(raft)) {
            // Already a voter (a repeated request): make sure the directory has its endpoints.
            return record(spec, requestedBy).thenApply(v -> Answer.ok(spec.id() + " is already a voter", null));
        }
        long started = System.nanoTime();
        return identity(raft, deadline)
                .thenCompose(said -> {
                    if (!said.equals(spec)) {
                        throw new MembershipRefusal(409, "the node at " + raft + " is " + said + ", not " + spec);
                    }
                    LOG.info("adding {}: recording its endpoints, then adding it as a learner", spec);
                    return record(spec, requestedBy);
                })
                .thenCompose(v -> group.addLearner(raft, remaining(deadline)))
                .thenCompose(v -> poke())
                .thenCompose(v -> {
                    LOG.info("adding {}: learner; waiting until it has caught up (snapshot and log)", spec.id());
                    return awaitCaughtUp(raft, deadline);
                })
                .thenCompose(caughtUpAt -> {
                    LOG.info("adding {}: caught up at index {}; promoting it to voter", spec.id(), caughtUpAt);
                    return group.promoteToVoter(raft, remaining(deadline)).thenCompose(v -> poke())
                            .thenApply(v -> Answer.ok(spec + " added: caught up at index " + caughtUpAt + " and is a "
                                    + "voter (" + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms)",
                                    null));
                });
    }

    /**
     * Who the node at {@code raft} says it is. A node that cannot be reached or does not answer is asked
     * again for a while: it may still be starting (its raft port opens after its control port).
     */
    private CompletableFuture<MemberSpec> identity(String raft, long deadline) {
        long giveUp = Math.min(deadline, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(IDENTITY_PATIENCE_MS));
        CompletableFuture<MemberSpec> out = new CompletableFuture<>();
        askIdentity(raft, giveUp, out);
        return out;
    }

    private void askIdentity(String raft, long giveUp, CompletableFuture<MemberSpec> out) {
        service.identityOf(raft, Math.min(IDENTITY_MS, remaining(giveUp))).whenComplete((spec, e) -> {
            if (e == null) {
                out.complete(spec);
                return;
            }
            Throwable t = MembershipService.root(e);
            if (t instanceof MembershipRefusal r) {
                out.completeExceptionally(r);
            } else if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(IDENTITY_RETRY_MS) < giveUp) {
                scheduler.schedule(() -> askIdentity(raft, giveUp, out), IDENTITY_RETRY_MS, TimeUnit.MILLISECONDS);
            } else {
                out.completeExceptionally(new MembershipRefusal(409, "cannot reach the new node at its raft endpoint "
                        + raft + " (" + t.getMessage() + "): start it first with cluster.join=true and a member "
                        + "certificate of this cluster's CA"));
            }
        });
    }

    /** Completes with the learner's applied index once it is within the catch-up margin of the leader's. */
    private CompletableFuture<Long> awaitCaughtUp(String raft, long deadline) {
        CompletableFuture<Long> out = new CompletableFuture<>();
        pollCatchUp(raft, deadline, out);
        return out;
    }

    private void pollCatchUp(String raft, long deadline, CompletableFuture<Long> out) {
        if (System.nanoTime() > deadline) {
            out.completeExceptionally(new MembershipRefusal(503, "the new member at " + raft + " did not catch up"
                    + " in time; it stays a learner (repeat the add to wait longer, or remove it)"));
            return;
        }
        if (!group.isLeader()) {
            out.completeExceptionally(new GroupException(GroupException.Kind.LEADERSHIP_CHANGED,
                    "leadership moved while the new member caught up; it stays a learner (repeat the add)"));
            return;
        }
        long leaderApplied = group.lastAppliedIndex();
        group.memberStatus(raft, Math.min(2_000, remaining(deadline))).whenComplete((st, e) -> {
            if (e == null && st.getHalted()) {
                out.completeExceptionally(new MembershipRefusal(409, "the new member at " + raft + " halted"));
            } else if (e == null && st.getAppliedIndex() + CATCH_UP_MARGIN >= leaderApplied && st.getAppliedIndex() > 0) {
                out.complete(st.getAppliedIndex());
            } else {
                scheduler.schedule(() -> pollCatchUp(raft, deadline, out), POLL_MS, TimeUnit.MILLISECONDS);
            }
        });
    }

    // ---- remove ---------------------------------------------------------------------------------------

    private CompletableFuture<Answer> remove(String who, MemberOp op, long deadline) {
        KnownMember m = members.find(who)
                .orElseThrow(() -> new MembershipRefusal(404, "no member " + who + " (node id or raft endpoint)"));
        String raft = m.raftEndpoint();
        if (m.kind() == KnownMember.Kind.NOT_IN_CONFIGURATION) {
            return unrecord(m, op.requestedBy()).thenApply(v -> Answer.ok(m.name()
                    + " removed from the member directory (it was not in the configuration)", null));
        }
        GroupConfiguration conf = group.configuration();
        if (m.kind() == KnownMember.Kind.VOTER && conf.voters().size() == 1) {
            throw new MembershipRefusal(409, m.name() + " is the last voter; a group cannot remove its last voter");
        }
        if (raft.equals(group.selfEndpoint())) {
            return removeSelf(m, op, deadline);
        }
        LOG.info("removing {} ({})", m.name(), raft);
        return group.removeMember(raft, remaining(deadline))
                .thenCompose(v -> unrecord(m, op.requestedBy()))
                .thenCompose(v -> poke())
                .thenApply(v -> Answer.ok(m.name() + " removed", null));
    }

    /**
     * The leader leaves: hand leadership to the voter furthest ahead (so clients see a leader change, not an
     * election), then let the new leader remove this node.
     */
    private CompletableFuture<Answer> removeSelf(KnownMember m, MemberOp op, long deadline) {
        LOG.info("removing {} (this node, the leader): handing leadership over first", m.name());
        return group.transferLeadershipToBest(Math.min(remaining(deadline), 10_000)).thenCompose(newLeader -> {
            // The successor runs the removal; this node is no longer running a change.
            running.set(null);
            MemberOp rest = new MemberOp(MemberOp.Kind.REMOVE, m.raftEndpoint(), "", List.of(),
                    remaining(deadline), op.requestedBy());
            return service.forward(rest).thenApply(a -> new Answer(a.status(), "leadership handed to "
                    + members.nodeIdOf(newLeader).orElse(newLeader) + "; " + a.message(), a.data()));
        });
    }

    // ---- replace, transfer, change-cluster --------------------------------------------------------------

    private CompletableFuture<Answer> replace(MemberOp op, long deadline) {
        MemberSpec spec = parse(op.member());
        KnownMember old = members.find(op.old())
                .orElseThrow(() -> new MembershipRefusal(404, "no member " + op.old() + " to replace"));
        if (old.raftEndpoint().equals(spec.raft().toString())) {
            throw new MembershipRefusal(400, "the new member must have its own raft endpoint");
        }
        return add(spec, op.requestedBy(), deadline).thenCompose(added -> {
            if (added.status() != 200) {
                return CompletableFuture.completedFuture(added);
            }
            return remove(old.raftEndpoint(), op, deadline).thenApply(removed -> new Answer(removed.status(),
                    added.message() + "; " + removed.message(), removed.data()));
        });
    }

    private CompletableFuture<Answer> transfer(String who, long deadline) {
        CompletableFuture<String> moved;
        if (who.isEmpty()) {
            moved = group.transferLeadershipToBest(remaining(deadline));
        } else {
            KnownMember m = members.find(who)
                    .orElseThrow(() -> new MembershipRefusal(404, "no member " + who));
            if (m.kind() != KnownMember.Kind.VOTER) {
                throw new MembershipRefusal(409, m.name() + " is not a voter; only a voter can lead");
            }
            if (m.raftEndpoint().equals(group.selfEndpoint())) {
                return CompletableFuture.completedFuture(Answer.ok(m.name() + " already leads", null));
            }
            moved = group.transferLeadership(m.raftEndpoint(), remaining(deadline));
        }
        return moved.thenApply(ep -> Answer.ok("leadership handed to " + members.nodeIdOf(ep).orElse(ep), null));
    }

    /**
     * Seata's changeCluster: the wanted voters by raft endpoint. New ones are added (they say who they are),
     * then the ones not wanted are removed, this node last.
     */
    private CompletableFuture<Answer> changeCluster(MemberOp op, long deadline) {
        Set<String> wanted = new LinkedHashSet<>();
        for (String e : op.raftEndpoints()) {
            wanted.add(raftEndpoint(e));
        }
        if (wanted.isEmpty()) {
            throw new MembershipRefusal(400, "raftClusterStr names no voter");
        }
        GroupConfiguration conf = group.configuration();
        List<String> toAdd = wanted.stream().filter(e -> !conf.isVoter(e)).toList();
        List<String> toRemove = new ArrayList<>(conf.voters().stream().filter(e -> !wanted.contains(e)).toList());
        // This node last: its removal hands leadership over and the rest runs elsewhere.
        if (toRemove.remove(group.selfEndpoint())) {
            toRemove.add(group.selfEndpoint());
        }
        List<String> done = new ArrayList<>();
        CompletableFuture<Answer> chain = CompletableFuture.completedFuture(Answer.ok("", null));
        for (String ep : toAdd) {
            chain = chain.thenCompose(prev -> prev.status() != 200 ? CompletableFuture.completedFuture(prev)
                    : identity(ep, deadline).thenCompose(spec -> add(spec, op.requestedBy(), deadline))
                            .thenApply(a -> note(done, a)));
        }
        for (String ep : toRemove) {
            chain = chain.thenCompose(prev -> prev.status() != 200 ? CompletableFuture.completedFuture(prev)
                    : remove(ep, op, deadline).thenApply(a -> note(done, a)));
        }
        return chain.thenApply(last -> last.status() != 200 ? new Answer(last.status(),
                (done.isEmpty() ? "" : String.join("; ", done) + "; then ") + last.message(), null)
                : Answer.ok(done.isEmpty() ? "the voters are already " + wanted : String.join("; ", done), null));
    }

    private static Answer note(List<String> done, Answer a) {
        if (a.status() == 200) {
            done.add(a.message());
        }
        return a;
    }

    // ---- helpers --------------------------------------------------------------------------------------

    private CompletableFuture<Void> record(MemberSpec spec, String requestedBy) {
        return log.propose(commands.setMember(spec.id(), spec.host(), spec.controlPort(), spec.transactionPort(),
                spec.raftPort(), requestedBy), proposal).thenApply(MembershipChanges::accepted);
    }

    private CompletableFuture<Void> unrecord(KnownMember m, String requestedBy) {
        if (m.source() != KnownMember.Source.DIRECTORY || m.spec().isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return log.propose(commands.removeMember(m.spec().get().id(), requestedBy), proposal)
                .thenApply(MembershipChanges::accepted);
    }

    /** Makes every member re-read the configuration now (see the class comment). */
    private CompletableFuture<Void> poke() {
        return log.propose(commands.noop(), proposal).thenApply(o -> null);
    }

    private static Void accepted(TxOutcome o) {
        if (!o.success()) {
            throw new MembershipRefusal(409, o.message());
        }
        return null;
    }

    private static MemberSpec parse(String member) {
        MemberSpec spec;
        try {
            spec = MemberSpec.parse(member);
        } catch (ConfigException e) {
            throw new MembershipRefusal(400, e.getMessage().replace("cluster.members: ", "member: "));
        }
        if (!MemberLimits.validNodeId(spec.id())) {
            throw new MembershipRefusal(400, "node id '" + spec.id() + "' must be 1..64 letters, digits, '.', '_', '-'");
        }
        return spec;
    }

    /** jraft's peer syntax {@code host:port[:index[:priority]][/learner]} down to "host:port". */
    private static String raftEndpoint(String peer) {
        String p = peer.trim();
        int slash = p.indexOf('/');
        if (slash >= 0) {
            p = p.substring(0, slash);
        }
        String[] parts = p.split(":");
        if (parts.length < 2 || parts[0].isBlank()) {
            throw new MembershipRefusal(400, "'" + peer + "' is not a raft endpoint host:port");
        }
        try {
            int port = Integer.parseInt(parts[1]);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new MembershipRefusal(400, "'" + peer + "' has no valid port");
        }
        return parts[0] + ":" + parts[1];
    }

    private static long remaining(long deadline) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    private static Answer failure(Throwable e) {
        Throwable t = MembershipService.root(e);
        if (t instanceof MembershipRefusal r) {
            return Answer.error(r.status(), r.getMessage());
        }
        if (t instanceof GroupException g) {
            int status = switch (g.kind()) {
                case BUSY, REJECTED -> 409;
                default -> 503;
            };
            String hint = status == 503 ? "; not confirmed: list the members and repeat if needed" : "";
            return Answer.error(status, g.getMessage() + hint);
        }
        LOG.error("membership change failed", t);
        return Answer.error(500, "membership change failed: " + t);
    }
}
