package io.tessera.compat.fuzz;

import io.tessera.compat.ResourceIds;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.seata.core.context.RootContext;
import org.apache.seata.core.model.BranchStatus;
import org.apache.seata.core.model.BranchType;
import org.apache.seata.core.model.GlobalStatus;
import org.apache.seata.core.model.Resource;
import org.apache.seata.core.rpc.netty.RmNettyRemotingClient;
import org.apache.seata.core.rpc.netty.TmNettyRemotingClient;
import org.apache.seata.rm.AbstractResourceManager;
import org.apache.seata.rm.DefaultResourceManager;
import org.apache.seata.rm.RMClient;
import org.apache.seata.tm.TMClient;
import org.apache.seata.tm.api.GlobalTransaction;
import org.apache.seata.tm.api.GlobalTransactionContext;

/**
 * The unmodified seata-all client (raft registry, signed registration) that proves the cluster still
 * serves between fuzz batches: one TCC branch, begun, registered and committed, and the branch's phase-two
 * commit received by this RM.
 */
final class LivenessClient implements AutoCloseable {
    static final String RESOURCE = "fuzz-liveness-tcc";

    private final Rm rm = new Rm();

    LivenessClient(FuzzCluster cluster) {
        System.setProperty("registry.type", "raft");
        System.setProperty("registry.raft.serverAddr", cluster.controlAddresses());
        System.setProperty("registry.raft.username", cluster.credential("TESSERA_REGISTRY_USERNAME"));
        System.setProperty("registry.raft.password", cluster.credential("TESSERA_REGISTRY_PASSWORD"));
        System.setProperty("service.vgroupMapping." + FuzzCluster.GROUP, "default");
        System.setProperty("seata.accesskey", FuzzCluster.ACCESS_KEY);
        System.setProperty("seata.secretkey", FuzzCluster.SECRET_KEY);
        TMClient.init(FuzzCluster.APP, FuzzCluster.GROUP);
        RMClient.init(FuzzCluster.APP, FuzzCluster.GROUP);
        DefaultResourceManager.get();
        DefaultResourceManager.mockResourceManager(BranchType.TCC, rm);
        rm.registerResource(ResourceIds.resource(FuzzCluster.GROUP, RESOURCE, BranchType.TCC));
    }

    /** One committed transaction; returns its xid, throws when it did not commit. */
    String commitOne(String name) throws Exception {
        try {
            GlobalTransaction tx = GlobalTransactionContext.createNew();
            tx.begin(30_000, name);
            String xid = tx.getXid();
            DefaultResourceManager.get().branchRegister(BranchType.TCC, RESOURCE, null, xid, null, null);
            tx.commit();
            if (tx.getLocalStatus() != GlobalStatus.Committed) {
                throw new IllegalStateException(xid + " ended " + tx.getLocalStatus());
            }
            return xid;
        } finally {
            RootContext.unbind();
        }
    }

    boolean phaseTwoCommitted(String xid) {
        return rm.commits.containsKey(xid);
    }

    long phaseTwoCommits() {
        return rm.count.get();
    }

    @Override
    public void close() {
        TmNettyRemotingClient.getInstance().destroy();
        RmNettyRemotingClient.getInstance().destroy();
    }

    /** Answers phase two at once and remembers which transactions it committed. */
    private static final class Rm extends AbstractResourceManager {
        final Map<String, Boolean> commits = new ConcurrentHashMap<>();
        final AtomicLong count = new AtomicLong();
        private final Map<String, Resource> resources = new ConcurrentHashMap<>();

        @Override
        public BranchStatus branchCommit(BranchType branchType, String xid, long branchId, String resourceId,
                String applicationData) {
            commits.put(xid, true);
            count.incrementAndGet();
            return BranchStatus.PhaseTwo_Committed;
        }

        @Override
        public BranchStatus branchRollback(BranchType branchType, String xid, long branchId, String resourceId,
                String applicationData) {
            return BranchStatus.PhaseTwo_Rollbacked;
        }

        @Override
        public void registerResource(Resource resource) {
            resources.put(resource.getResourceId(), resource);
            super.registerResource(resource);
        }

        @Override
        public Map<String, Resource> getManagedResources() {
            return resources;
        }

        @Override
        public BranchType getBranchType() {
            return BranchType.TCC;
        }
    }
}
