package io.tessera.coordinator.tc.adapter;

import io.tessera.codec.message.BranchEndRequest;
import io.tessera.codec.message.BranchEndResponse;
import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.ResultCode;
import io.tessera.codec.message.TransactionExceptionCode;
import io.tessera.coordinator.tc.adapter.proto.BranchEndAnswer;
import io.tessera.coordinator.tc.adapter.proto.DeliverBranchEnd;
import io.tessera.coordinator.tc.port.BranchDelivery;
import io.tessera.coordinator.transport.NoRmChannelException;
import io.tessera.coordinator.transport.RmRequestSender;
import io.tessera.raft.group.RaftGroup;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link BranchDelivery} over this node's RM connections, falling back to the other members': clients
 * normally connect to every node, but an RM whose connection to the leader broke may still be reachable
 * through a follower. Between members the request and the RM's answer travel as typed messages
 * ({@code DeliverBranchEnd} / {@code BranchEndAnswer}) over the raft port; a member never passes one on.
 */
public final class PhaseTwoDelivery implements BranchDelivery {
    static final String SERVICE = "phase-two-delivery/1";
    private static final Logger LOG = LoggerFactory.getLogger(PhaseTwoDelivery.class);

    private final RaftGroup group;
    private final PeerCalls peers;
    private final RmRequestSender sender;
    private final long timeoutMs;

    /** @param timeoutMs how long a member may take, RM round trip included */
    public PhaseTwoDelivery(RaftGroup group, RmRequestSender sender, long timeoutMs) {
        this.group = group;
        this.peers = new PeerCalls(group);
        this.sender = sender;
        this.timeoutMs = timeoutMs;
    }

    /** Offers this node's RM connections to the other members. Call before the group starts. */
    public void register() {
        peers.serve(SERVICE, DeliverBranchEnd.parser(), this::serveForPeer);
    }

    @Override
    public CompletableFuture<BranchEndResponse> deliver(BranchEndRequest request, String clientId) {
        CompletableFuture<BranchEndResponse> out = new CompletableFuture<>();
        sender.send(request, clientId).whenComplete((r, e) -> {
            if (e == null) {
                out.complete(r);
            } else if (unwrap(e) instanceof NoRmChannelException) {
                viaPeers(request, clientId, otherMembers(), 0, out, unwrap(e));
            } else {
                out.completeExceptionally(e);
            }
        });
        return out;
    }

    private List<String> otherMembers() {
        return group.peers().stream().filter(p -> !p.equals(group.selfEndpoint())).toList();
    }

    private void viaPeers(BranchEndRequest request, String clientId, List<String> members, int i,
            CompletableFuture<BranchEndResponse> out, Throwable lastError) {
        if (i >= members.size()) {
            out.completeExceptionally(lastError);
            return;
        }
        String peer = members.get(i);
        peers.call(peer, SERVICE, toWire(request, clientId), BranchEndAnswer.parser(), timeoutMs).whenComplete((a, e) -> {
            if (e == null) {
                LOG.info("phase two of branch {} (xid {}) delivered through {}", request.branchId(), request.xid(), peer);
                out.complete(fromWire(request, a));
            } else {
                viaPeers(request, clientId, members, i + 1, out, unwrap(e));
            }
        });
    }

    /** Another member asks us to deliver over our own connection; we never pass it on again. */
    private CompletableFuture<BranchEndAnswer> serveForPeer(DeliverBranchEnd d) {
        BranchEndRequest request = new BranchEndRequest(d.getCommit(), d.getXid(), d.getBranchId(),
                BranchType.of(d.getBranchType()), d.getResourceId(), d.hasApplicationData() ? d.getApplicationData() : null);
        return sender.send(request, d.getClientId().isEmpty() ? null : d.getClientId()).thenApply(PhaseTwoDelivery::toWire);
    }

    static DeliverBranchEnd toWire(BranchEndRequest r, String clientId) {
        DeliverBranchEnd.Builder b = DeliverBranchEnd.newBuilder().setCommit(r.commit()).setXid(r.xid())
                .setBranchId(r.branchId()).setBranchType(r.branchType().code()).setResourceId(r.resourceId())
                .setClientId(clientId == null ? "" : clientId);
        if (r.applicationData() != null) {
            b.setApplicationData(r.applicationData());
        }
        return b.build();
    }

    static BranchEndAnswer toWire(BranchEndResponse r) {
        BranchEndAnswer.Builder b = BranchEndAnswer.newBuilder()
                .setResultCode((r.resultCode() == null ? ResultCode.Failed : r.resultCode()).code())
                .setExceptionCode((r.exceptionCode() == null ? TransactionExceptionCode.Unknown : r.exceptionCode()).code())
                .setMessage(r.msg() == null ? "" : r.msg());
        if (r.branchStatus() != null) {
            b.setBranchStatus(r.branchStatus().code());
        }
        return b.build();
    }

    static BranchEndResponse fromWire(BranchEndRequest request, BranchEndAnswer a) {
        return new BranchEndResponse(request.commit(), ResultCode.of(a.getResultCode()), a.getMessage(),
                TransactionExceptionCode.of(a.getExceptionCode()), request.xid(), request.branchId(),
                a.hasBranchStatus() ? BranchStatus.of(a.getBranchStatus()) : null);
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
