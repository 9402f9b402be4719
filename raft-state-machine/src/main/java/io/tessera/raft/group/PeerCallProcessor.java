package io.tessera.raft.group;

import com.alipay.sofa.jraft.rpc.RpcContext;
import com.alipay.sofa.jraft.rpc.RpcProcessor;
import com.google.protobuf.ByteString;
import io.tessera.raft.group.proto.PeerCallRequest;
import io.tessera.raft.group.proto.PeerCallResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/** Dispatches peer calls to the services registered by name; every call gets an answer. */
final class PeerCallProcessor implements RpcProcessor<PeerCallRequest> {
    private final String groupId;
    private final Executor executor;
    private final Map<String, PeerService> services = new ConcurrentHashMap<>();

    PeerCallProcessor(String groupId, Executor executor) {
        this.groupId = groupId;
        this.executor = executor;
    }

    void register(String name, PeerService service) {
        if (services.putIfAbsent(name, service) != null) {
            throw new IllegalStateException("peer service " + name + " registered twice");
        }
    }

    @Override
    public void handleRequest(RpcContext ctx, PeerCallRequest req) {
        PeerService service = services.get(req.getService());
        if (!groupId.equals(req.getGroupId()) || service == null) {
            ctx.sendResponse(error("no service '" + req.getService() + "' in group " + groupId));
            return;
        }
        CompletableFuture<byte[]> result;
        try {
            result = service.handle(req.getPayload().toByteArray());
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        result.whenComplete((bytes, err) -> ctx.sendResponse(err == null
                ? PeerCallResponse.newBuilder().setOk(true).setPayload(ByteString.copyFrom(bytes)).build()
                : error(String.valueOf(Failures.root(err).getMessage()))));
    }

    private static PeerCallResponse error(String why) {
        return PeerCallResponse.newBuilder().setOk(false).setError(why).build();
    }

    @Override
    public String interest() {
        return PeerCallRequest.class.getName();
    }

    @Override
    public Executor executor() {
        return executor;
    }
}
