package io.tessera.raft.group;

import com.alipay.sofa.jraft.rpc.RpcContext;
import com.alipay.sofa.jraft.rpc.RpcProcessor;
import com.google.protobuf.ByteString;
import io.tessera.raft.group.proto.ForwardRequest;
import io.tessera.raft.group.proto.ForwardResponse;
import java.util.concurrent.Executor;

/**
 * Leader side of forwarding, registered on the node's own RPC server. Never forwards again: a receiver
 * that knows another leader answers NOT_LEADER with a hint, so a request cannot bounce between nodes.
 * Every request gets an answer.
 */
final class ForwardProcessor implements RpcProcessor<ForwardRequest> {
    private final String groupId;
    private final Proposals proposals;
    private final Executor executor;
    private final java.util.function.Function<Object, byte[]> resultBytes;

    ForwardProcessor(String groupId, Proposals proposals, Executor executor,
            java.util.function.Function<Object, byte[]> resultBytes) {
        this.groupId = groupId;
        this.proposals = proposals;
        this.executor = executor;
        this.resultBytes = resultBytes;
    }

    @Override
    public void handleRequest(RpcContext ctx, ForwardRequest req) {
        if (!groupId.equals(req.getGroupId())) {
            ctx.sendResponse(ForwardResponse.newBuilder().setOutcome(ForwardResponse.Outcome.REJECTED)
                    .setMessage("unknown group " + req.getGroupId()).build());
            return;
        }
        proposals.proposeForwarded(req.getDraft().toByteArray(), req.getTimeoutMs()).whenComplete((res, err) -> {
            ForwardResponse.Builder b = ForwardResponse.newBuilder();
            if (err == null) {
                b.setOutcome(ForwardResponse.Outcome.APPLIED).setResult(ByteString.copyFrom(resultBytes.apply(res)));
            } else {
                GroupException g = Failures.unwrap(err);
                b.setOutcome(Failures.toWire(g.kind())).setMessage(String.valueOf(g.getMessage()));
                if (g.kind() == GroupException.Kind.NO_LEADER) {
                    proposals.knownLeader().ifPresent(b::setLeaderHint);
                }
            }
            ctx.sendResponse(b.build());
        });
    }

    @Override
    public String interest() {
        return ForwardRequest.class.getName();
    }

    @Override
    public Executor executor() {
        return executor;
    }
}
