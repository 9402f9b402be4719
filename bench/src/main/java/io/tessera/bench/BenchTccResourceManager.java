package io.tessera.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.seata.core.model.BranchStatus;
import org.apache.seata.core.model.BranchType;
import org.apache.seata.core.model.Resource;
import org.apache.seata.rm.AbstractResourceManager;

/**
 * A TCC resource manager inside the real seata-all RM client whose phase two succeeds at once: the
 * client's branch registration and phase-two plumbing are Seata's own, only the TCC beans are left out.
 */
final class BenchTccResourceManager extends AbstractResourceManager {
    final LongAdder commits = new LongAdder();
    final LongAdder rollbacks = new LongAdder();
    private final Map<String, Resource> resources = new ConcurrentHashMap<>();

    @Override
    public BranchStatus branchCommit(BranchType branchType, String xid, long branchId, String resourceId,
            String applicationData) {
        commits.increment();
        return BranchStatus.PhaseTwo_Committed;
    }

    @Override
    public BranchStatus branchRollback(BranchType branchType, String xid, long branchId, String resourceId,
            String applicationData) {
        rollbacks.increment();
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

    static Resource resource(String id, String group) {
        return new Resource() {
            @Override
            public String getResourceGroupId() {
                return group;
            }

            @Override
            public String getResourceId() {
                return id;
            }

            @Override
            public BranchType getBranchType() {
                return BranchType.TCC;
            }
        };
    }
}
