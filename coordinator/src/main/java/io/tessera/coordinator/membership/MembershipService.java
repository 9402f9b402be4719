package io.tessera.coordinator.membership;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.codec.text.ClientText;
import io.tessera.coordinator.config.MemberSpec;
import io.tessera.coordinator.control.MemberAdmin;
import io.tessera.coordinator.control.MemberOp;
import io.tessera.raft.group.RaftGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's membership requests on every node. Listings and a node's identity are answered here;
 * changes run on the leader ({@link MembershipChanges}): a follower hands them to the leader over the raft
 * port (peer service {@value #PEER_SERVICE}, members only with member TLS) and relays its answer. The
 * receiver of a forwarded change never forwards it again, so a request cannot bounce between nodes.
 */
public final class MembershipService implements MemberAdmin {
    static final String PEER_SERVICE = "membership";
    private static final Logger LOG = LoggerFactory.getLogger(MembershipService.class);
    /** Added to an operation's own timeout for the hop to the leader. */
    private static final long FORWARD_MARGIN_MS = 5_000;
    private static final long STATUS_ASK_MS = 1_000;
    /**
     * Answer of a member that is not the ready leader and did nothing: the sender may try again. A new leader
     * is known to the others before it has applied its predecessors' entries and serves (jraft's
     * onLeaderStart), e.g. right after a hand-over.
     */
    static final int NOT_LEADER = 421;
    private static final long NOT_LEADER_RETRY_MS = 100;
    private static final long NOT_LEADER_BUDGET_MS = 10_000;

    private final MemberSpec self;
    private final String groupId;
    private final RaftGroup group;
    private final ClusterMembers members;
    private final ScheduledExecutorService scheduler;
    private final ObjectMapper mapper = new ObjectMapper();
    private volatile MembershipChanges changes;

    public MembershipService(MemberSpec self, String groupId, RaftGroup group, ClusterMembers members,
            ScheduledExecutorService scheduler) {
        this.self = self;
        this.groupId = groupId;
        this.group = group;
        this.members = members;
        this.scheduler = scheduler;
    }

    /** The leader-side executor (wired after construction: it forwards through this service). */
    void changes(MembershipChanges changes) {
        this.changes = changes;
    }

    /** Offers the service to the other members. Call before the group starts. */
    public void register() {
        group.registerPeerService(PEER_SERVICE, this::serveForPeer);
    }

    @Override
    public CompletableFuture<Answer> execute(MemberOp op) {
        return switch (op.kind()) {
            case LIST -> list();
            case IDENTITY -> CompletableFuture.completedFuture(identity());
            default -> group.isLeader() ? changes.run(op) : forward(op);
        };
    }

    /** Asks the member at {@code raftEndpoint} who it is (a node about to be added must say it). */
    CompletableFuture<MemberSpec> identityOf(String raftEndpoint, long timeoutMs) {
        return group.callPeer(raftEndpoint, PEER_SERVICE, encode(MemberOp.of(MemberOp.Kind.IDENTITY, self.id())),
                timeoutMs).thenApply(bytes -> {
                    Answer a = decode(bytes);
                    if (a.status() != 200 || !(a.data() instanceof Map<?, ?> data)) {
                        throw new MembershipRefusal(409, raftEndpoint + " did not say who it is: " + a.message());
                    }
                    if (!groupId.equals(data.get("group"))) {
                        throw new MembershipRefusal(409, "the node at " + raftEndpoint + " serves group "
                                + data.get("group") + ", not " + groupId);
                    }
                    return MemberSpec.parse(String.valueOf(data.get("member")));
                });
    }

    /**
     * Hands {@code op} to the current leader and relays its answer. While no leader is known, or the one
     * known does not serve yet ({@link #NOT_LEADER}: nothing was done), it tries again for a few seconds.
     */
    CompletableFuture<Answer> forward(MemberOp op) {
        CompletableFuture<Answer> out = new CompletableFuture<>();
        forward(op, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(NOT_LEADER_BUDGET_MS), out);
        return out;
    }

    private void forward(MemberOp op, long retryUntil, CompletableFuture<Answer> out) {
        if (group.isLeader()) {
            // This node became the (ready) leader meanwhile.
            changes.run(op).thenAccept(out::complete);
            return;
        }
        Optional<String> leader = group.leaderEndpoint().filter(ep -> !ep.equals(group.selfEndpoint()));
        if (leader.isEmpty()) {
            retryOr(op, retryUntil, out, Answer.error(503, "no leader known right now; retry in a moment"));
            return;
        }
        group.callPeer(leader.get(), PEER_SERVICE, encode(op), op.timeoutMs() + FORWARD_MARGIN_MS)
                .thenApply(this::decode)
                .whenComplete((a, e) -> {
                    if (e != null) {
                        out.complete(Answer.error(503, "not confirmed: the leader " + leader.get() + " did not answer ("
                                + root(e).getMessage() + "); list the members and repeat if needed"));
                    } else if (a.status() == NOT_LEADER) {
                        retryOr(op, retryUntil, out, Answer.error(503, a.message()));
                    } else {
                        out.complete(a);
                    }
                });
    }

    private void retryOr(MemberOp op, long retryUntil, CompletableFuture<Answer> out, Answer giveUp) {
        if (System.nanoTime() > retryUntil) {
            out.complete(giveUp);
            return;
        }
        scheduler.schedule(() -> forward(op, retryUntil, out), NOT_LEADER_RETRY_MS, TimeUnit.MILLISECONDS);
    }

    private CompletableFuture<byte[]> serveForPeer(byte[] payload) {
        MemberOp op = decodeOp(payload);
        CompletableFuture<Answer> answer = switch (op.kind()) {
            case LIST, IDENTITY -> execute(op);
            default -> group.isLeader() ? changes.run(op)
                    : CompletableFuture.completedFuture(Answer.error(NOT_LEADER, group.selfEndpoint()
                            + " is not the leader (or does not serve yet); nothing done"));
        };
        return answer.thenApply(this::encode);
    }

    private Answer identity() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("member", self.toString());
        data.put("group", groupId);
        data.put("inConfiguration", group.configuration().contains(group.selfEndpoint()));
        return Answer.ok(self.id(), data);
    }

    /** The members with what each says about itself (applied index; null when it does not answer). */
    private CompletableFuture<Answer> list() {
        List<KnownMember> all = members.withDirectoryLeftovers();
        List<CompletableFuture<Long>> applied = all.stream().map(m -> m.kind() == KnownMember.Kind.NOT_IN_CONFIGURATION
                ? CompletableFuture.<Long>completedFuture(null)
                : group.memberStatus(m.raftEndpoint(), STATUS_ASK_MS).thenApply(st -> st.getAppliedIndex())
                        .exceptionally(e -> null)).toList();
        return CompletableFuture.allOf(applied.toArray(CompletableFuture[]::new)).thenApply(v -> {
            Optional<String> leader = group.leaderEndpoint();
            List<Map<String, Object>> rows = new java.util.ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                rows.add(row(all.get(i), leader, applied.get(i).join()));
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("leader", leader.map(ep -> members.nodeIdOf(ep).orElse(ep)).orElse(null));
            data.put("term", group.currentTerm());
            data.put("members", rows);
            return Answer.ok(rows.size() + " members", data);
        });
    }

    private static Map<String, Object> row(KnownMember m, Optional<String> leader, Long appliedIndex) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("nodeId", m.name());
        String role = switch (m.kind()) {
            case VOTER -> leader.filter(m.raftEndpoint()::equals).isPresent() ? "leader" : "voter";
            case LEARNER -> "learner";
            case NOT_IN_CONFIGURATION -> "not in configuration";
        };
        row.put("role", role);
        row.put("raft", m.raftEndpoint());
        row.put("control", m.spec().map(s -> s.control().toString()).orElse(null));
        row.put("transaction", m.spec().map(s -> s.transaction().toString()).orElse(null));
        row.put("endpointsFrom", m.source().name().toLowerCase(java.util.Locale.ROOT));
        row.put("appliedIndex", appliedIndex);
        return row;
    }

    byte[] encode(Object o) {
        try {
            return mapper.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Answer decode(byte[] bytes) {
        try {
            return mapper.readValue(bytes, Answer.class);
        } catch (IOException e) {
            throw new UncheckedIOException("undecodable membership answer", e);
        }
    }

    private MemberOp decodeOp(byte[] bytes) {
        try {
            return mapper.readValue(bytes, MemberOp.class);
        } catch (IOException e) {
            throw new UncheckedIOException("undecodable membership request", e);
        }
    }

    static Throwable root(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static void logAnswer(MemberOp op, Answer a) {
        if (a.status() == 200) {
            LOG.info("membership change done: {}", ClientText.of(a.message()));
        } else {
            LOG.warn("membership change refused ({}): {}", a.status(), ClientText.of(a.message()));
        }
    }
}
