package io.tessera.raft.group;

import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.error.InvokeTimeoutException;
import com.alipay.sofa.jraft.error.RemotingException;
import com.alipay.sofa.jraft.option.RpcOptions;
import com.alipay.sofa.jraft.rpc.RaftRpcFactory;
import com.alipay.sofa.jraft.rpc.RpcClient;
import com.alipay.sofa.jraft.util.RpcFactoryHelper;
import com.google.protobuf.ByteString;
import io.tessera.raft.group.GroupException.Kind;
import io.tessera.raft.group.proto.ForwardRequest;
import io.tessera.raft.group.proto.ForwardResponse;
import io.tessera.raft.group.proto.PeerCallRequest;
import io.tessera.raft.group.proto.PeerCallResponse;
import java.util.concurrent.CompletableFuture;

/**
 * Follower side of forwarding: sends a draft to the leader over a bolt client of its own (jraft's node
 * client is internal to NodeImpl). It carries peer calls too. Over TLS it presents the member's
 * certificate like every other raft-port connection of the member.
 */
final class ForwardClient implements AutoCloseable {
    private final String groupId;
    private volatile RpcClient client;

    ForwardClient(String groupId) {
        this.groupId = groupId;
    }

    /** @param transport {@link Transport#clientConfig()}: null for plain TCP */
    void start(RaftRpcFactory.ConfigHelper<RpcClient> transport) {
        RpcClient c = RpcFactoryHelper.rpcFactory().createRpcClient(transport);
        if (!c.init(new RpcOptions())) {
            throw new IllegalStateException("bolt rpc client failed to start");
        }
        client = c;
    }

    /**
     * Completes with the leader's answer. A request that demonstrably never left this node (no connection)
     * is reported as NOT_LEADER, which the caller may safely retry; a failure after sending leaves the
     * outcome unknown and is reported as an exception.
     */
    CompletableFuture<ForwardResponse> forward(String leader, byte[] draft, long timeoutMs) {
        CompletableFuture<ForwardResponse> out = new CompletableFuture<>();
        ForwardRequest req = ForwardRequest.newBuilder()
                .setGroupId(groupId)
                .setDraft(ByteString.copyFrom(draft))
                .setTimeoutMs(timeoutMs)
                .build();
        PeerId peer = PeerId.parsePeer(leader);
        if (peer == null) {
            out.complete(notSent("unparsable leader " + leader));
            return out;
        }
        try {
            client.invokeAsync(peer.getEndpoint(), req, (resp, err) -> {
                if (err == null && resp instanceof ForwardResponse r) {
                    out.complete(r);
                } else if (err instanceof InvokeTimeoutException) {
                    out.completeExceptionally(new GroupException(Kind.TIMEOUT, "forward to " + leader, err));
                } else {
                    // Sent, then the connection or the leader failed: it may or may not have applied.
                    out.completeExceptionally(new GroupException(Kind.LEADERSHIP_CHANGED,
                            "forward to " + leader + " failed: " + (err == null ? resp : err), err));
                }
            }, timeoutMs);
        } catch (RemotingException e) {
            out.complete(notSent("cannot reach " + leader + ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.completeExceptionally(new GroupException(Kind.UNAVAILABLE, "interrupted", e));
        }
        return out;
    }

    /** A call to a named service on another member; any failure (unreachable, timeout, error) fails the future. */
    CompletableFuture<byte[]> call(String endpoint, String service, byte[] payload, long timeoutMs) {
        CompletableFuture<byte[]> out = new CompletableFuture<>();
        PeerId peer = PeerId.parsePeer(endpoint);
        if (peer == null) {
            out.completeExceptionally(new IllegalArgumentException("unparsable peer " + endpoint));
            return out;
        }
        PeerCallRequest req = PeerCallRequest.newBuilder().setGroupId(groupId).setService(service)
                .setPayload(ByteString.copyFrom(payload)).build();
        try {
            client.invokeAsync(peer.getEndpoint(), req, (resp, err) -> {
                if (err == null && resp instanceof PeerCallResponse r && r.getOk()) {
                    out.complete(r.getPayload().toByteArray());
                } else if (err == null && resp instanceof PeerCallResponse r) {
                    out.completeExceptionally(new IllegalStateException(endpoint + " " + service + ": " + r.getError()));
                } else {
                    out.completeExceptionally(new IllegalStateException(endpoint + " " + service + " failed: "
                            + (err == null ? resp : err), err));
                }
            }, timeoutMs);
        } catch (RemotingException e) {
            out.completeExceptionally(new IllegalStateException("cannot reach " + endpoint + ": " + e.getMessage(), e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.completeExceptionally(e);
        }
        return out;
    }

    private static ForwardResponse notSent(String why) {
        return ForwardResponse.newBuilder().setOutcome(ForwardResponse.Outcome.NOT_LEADER).setMessage(why).build();
    }

    @Override
    public void close() {
        RpcClient c = client;
        if (c != null) {
            c.shutdown();
        }
    }
}
