package io.tessera.compat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.seata.core.model.BranchStatus;
import org.apache.seata.core.model.BranchType;
import org.apache.seata.core.model.Resource;
import org.apache.seata.rm.AbstractResourceManager;

/** A TCC resource manager inside the real Seata RM client that records the phase-two calls it gets. */
final class RecordingTccResourceManager extends AbstractResourceManager {
    record Call(boolean commit, String xid, long branchId, String resourceId, String applicationData) {
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Resource> resources = new ConcurrentHashMap<>();

    @Override
    public BranchStatus branchCommit(BranchType branchType, String xid, long branchId, String resourceId,
            String applicationData) {
        calls.add(new Call(true, xid, branchId, resourceId, applicationData));
        return BranchStatus.PhaseTwo_Committed;
    }

    @Override
    public BranchStatus branchRollback(BranchType branchType, String xid, long branchId, String resourceId,
            String applicationData) {
        calls.add(new Call(false, xid, branchId, resourceId, applicationData));
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
