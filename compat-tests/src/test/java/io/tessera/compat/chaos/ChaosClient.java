package io.tessera.compat.chaos;

import io.tessera.compat.PhaseTwoRecorder;
import io.tessera.compat.RecordingAtResourceManager;
import io.tessera.compat.RecordingTccResourceManager;
import io.tessera.compat.ResourceIds;
import io.tessera.compat.failover.ProcessCluster;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.seata.core.model.BranchType;
import org.apache.seata.core.protocol.MessageType;
import org.apache.seata.core.protocol.RpcMessage;
import org.apache.seata.core.rpc.netty.RmNettyRemotingClient;
import org.apache.seata.core.rpc.netty.TmNettyRemotingClient;
import org.apache.seata.core.rpc.processor.RemotingProcessor;
import org.apache.seata.core.rpc.processor.client.RmBranchCommitProcessor;
import org.apache.seata.core.rpc.processor.client.RmBranchRollbackProcessor;
import org.apache.seata.rm.DefaultResourceManager;
import org.apache.seata.rm.RMClient;
import org.apache.seata.tm.TMClient;

/**
 * The unmodified seata-all TM and RM (one per JVM) on the raft registry, with the recording TCC and AT
 * resource managers. Every phase-two call is recorded with the time it arrived and the node that sent it:
 * Seata's own branch commit/rollback processors are wrapped, only to note the channel's remote address
 * for the recorder, which runs on the same thread.
 */
final class ChaosClient implements AutoCloseable, ChaosChecker.PhaseTwoLog {
    static final String APP = "chaos-app";
    static final String GROUP = "compat-tx-group";

    /** One phase-two request as the RM received it. */
    record PhaseTwo(long nanos, boolean commit, BranchType type, long branchId, String resourceId, String sender) {
        @Override
        public String toString() {
            return ChaosClock.stamp(nanos) + " " + (commit ? "BranchCommit" : "BranchRollback") + " " + type + " branch "
                    + branchId + " from " + sender;
        }
    }

    private static final ThreadLocal<String> SENDER = new ThreadLocal<>();

    private final Map<String, List<PhaseTwo>> calls = new ConcurrentHashMap<>();
    private final Map<String, String> nodeByAddress = new ConcurrentHashMap<>();
    private final ExecutorService phaseTwoExecutor = new ThreadPoolExecutor(4, 4, 0, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(20_000), r -> {
                Thread t = new Thread(r, "chaos-rm-phase-two");
                t.setDaemon(true);
                return t;
            });

    static ChaosClient start(ProcessCluster cluster) {
        System.setProperty("registry.type", "raft");
        System.setProperty("registry.raft.serverAddr", cluster.controlAddresses());
        System.setProperty("registry.raft.username", cluster.credential("TESSERA_REGISTRY_USERNAME"));
        System.setProperty("registry.raft.password", cluster.credential("TESSERA_REGISTRY_PASSWORD"));
        System.setProperty("service.vgroupMapping." + GROUP, "default");
        ChaosClient client = new ChaosClient();
        for (ProcessCluster.Member m : cluster.members()) {
            client.nodeByAddress.put(m.transactionAddress(), m.id());
        }
        TMClient.init(APP, GROUP);
        RMClient.init(APP, GROUP);
        DefaultResourceManager.get();
        PhaseTwoRecorder recorder = new PhaseTwoRecorder();
        recorder.listen(client::record);
        RecordingTccResourceManager tcc = new RecordingTccResourceManager(recorder);
        RecordingAtResourceManager at = new RecordingAtResourceManager(recorder);
        DefaultResourceManager.mockResourceManager(BranchType.TCC, tcc);
        DefaultResourceManager.mockResourceManager(BranchType.AT, at);
        RmNettyRemotingClient rm = RmNettyRemotingClient.getInstance();
        rm.registerProcessor(MessageType.TYPE_BRANCH_COMMIT,
                senderNoting(new RmBranchCommitProcessor(rm.getTransactionMessageHandler(), rm)), client.phaseTwoExecutor);
        rm.registerProcessor(MessageType.TYPE_BRANCH_ROLLBACK,
                senderNoting(new RmBranchRollbackProcessor(rm.getTransactionMessageHandler(), rm)), client.phaseTwoExecutor);
        tcc.registerResource(ResourceIds.resource(GROUP, ChaosWorkload.TCC_1, BranchType.TCC));
        tcc.registerResource(ResourceIds.resource(GROUP, ChaosWorkload.TCC_2, BranchType.TCC));
        at.registerResource(ResourceIds.resource(GROUP, ChaosWorkload.AT, BranchType.AT));
        return client;
    }

    private static RemotingProcessor senderNoting(RemotingProcessor seatas) {
        return (ctx, msg) -> {
            SENDER.set(String.valueOf(ctx.channel().remoteAddress()));
            try {
                seatas.process(ctx, msg);
            } finally {
                SENDER.remove();
            }
        };
    }

    private void record(PhaseTwoRecorder.Call c) {
        String address = SENDER.get();
        String sender = address == null ? "?" : address.replaceFirst("^[^/]*/", "");
        sender = nodeByAddress.getOrDefault(sender, sender);
        calls.computeIfAbsent(c.xid(), k -> new CopyOnWriteArrayList<>())
                .add(new PhaseTwo(System.nanoTime(), c.commit(), c.branchType(), c.branchId(), c.resourceId(), sender));
    }

    @Override
    public List<PhaseTwo> callsFor(String xid) {
        return List.copyOf(calls.getOrDefault(xid, List.of()));
    }

    Map<String, List<PhaseTwo>> allCalls() {
        return Map.copyOf(calls);
    }
    @Override
    public void close() {
        TmNettyRemotingClient.getInstance().destroy();
        RmNettyRemotingClient.getInstance().destroy();
        phaseTwoExecutor.shutdownNow();
    }
}
