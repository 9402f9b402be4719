package io.tessera.coordinator.tc;

import io.tessera.codec.CodecException;
import io.tessera.codec.FrameCodec;
import io.tessera.codec.RpcFrame;
import io.tessera.codec.message.BranchEndRequest;
import io.tessera.codec.message.BranchEndResponse;
import io.tessera.codec.seata.SeataBodyCodec;
import io.tessera.coordinator.transport.NoRmChannelException;
import io.tessera.coordinator.transport.RmRequestSender;
import io.tessera.raft.group.RaftGroup;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets a BranchCommit/BranchRollback to its RM: over this node's own connection when it has one,
 * otherwise through another member that does (clients normally connect to every node, but an RM
 * whose connection to the leader broke may still be reachable through a follower).
 *
 * <p>The request travels between members as a SEATA-codec frame over the raft port (peers only), with
 * the branch's clientId in the frame's head-map; the member answers with the RM's response frame.
 */
public final class PhaseTwoDelivery {
    static final String SERVICE = "phase-two";
    private static final String CLIENT_ID = "clientId";
    private static final Logger LOG = LoggerFactory.getLogger(PhaseTwoDelivery.class);

    private final RaftGroup group;
    private final RmRequestSender sender;
    private final long timeoutMs;
    private final FrameCodec codec = new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME_LENGTH, List.of(new SeataBodyCodec()));

    /** @param timeoutMs how long a member may take, RM round trip included */
    public PhaseTwoDelivery(RaftGroup group, RmRequestSender sender, long timeoutMs) {
        this.group = group;
        this.sender = sender;
        this.timeoutMs = timeoutMs;
    }

    /** Offers this node's RM connections to the other members. Call before the group starts. */
    public void register() {
        group.registerPeerService(SERVICE, this::serveForPeer);
    }

    public CompletableFuture<BranchEndResponse> deliver(BranchEndRequest request, String clientId) {
        CompletableFuture<BranchEndResponse> out = new CompletableFuture<>();
        sender.send(request, clientId).whenComplete((r, e) -> {
            if (e == null) {
                out.complete(r);
            } else if (Proposer.unwrap(e) instanceof NoRmChannelException) {
                viaPeers(request, clientId, otherMembers(), 0, out, Proposer.unwrap(e));
            } else {
                out.completeExceptionally(e);
            }
        });
        return out;
    }

    private List<String> otherMembers() {
        return group.peers().stream().filter(p -> !p.equals(group.selfEndpoint())).toList();
    }

    private void viaPeers(BranchEndRequest request, String clientId, List<String> peers, int i,
            CompletableFuture<BranchEndResponse> out, Throwable lastError) {
        if (i >= peers.size()) {
            out.completeExceptionally(lastError);
            return;
        }
        String peer = peers.get(i);
        byte[] payload = codec.encode(new RpcFrame(RpcFrame.TYPE_REQUEST, RpcFrame.CODEC_SEATA,
                RpcFrame.COMPRESSOR_NONE, 0, Map.of(CLIENT_ID, clientId == null ? "" : clientId), request));
        group.callPeer(peer, SERVICE, payload, timeoutMs).whenComplete((bytes, e) -> {
            if (e == null) {
                try {
                    if (codec.decode(bytes).body() instanceof BranchEndResponse r) {
                        LOG.info("phase two of branch {} (xid {}) delivered through {}", request.branchId(),
                                request.xid(), peer);
                        out.complete(r);
                        return;
                    }
                    e = new IllegalStateException(peer + " answered with an unexpected message");
                } catch (CodecException bad) {
                    e = bad;
                }
            }
            viaPeers(request, clientId, peers, i + 1, out, Proposer.unwrap(e));
        });
    }

    /** Another member asks us to deliver over our own connection; we never pass it on again. */
    private CompletableFuture<byte[]> serveForPeer(byte[] payload) {
        RpcFrame frame;
        try {
            frame = codec.decode(payload);
        } catch (CodecException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (!(frame.body() instanceof BranchEndRequest request)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("not a phase-two request"));
        }
        String clientId = frame.headMap().getOrDefault(CLIENT_ID, "");
        return sender.send(request, clientId.isEmpty() ? null : clientId)
                .thenApply(r -> codec.encode(RpcFrame.response(0, RpcFrame.CODEC_SEATA, r)));
    }
}
