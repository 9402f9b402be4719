package io.tessera.compat.failover;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.seata.core.model.BranchStatus;
import org.apache.seata.core.model.BranchType;
import org.apache.seata.core.model.Resource;
import org.apache.seata.rm.AbstractResourceManager;

/**
 * A TCC resource manager inside the real RM client that always succeeds in phase two and records,
 * per xid, every BranchCommit/BranchRollback it was asked for (from whichever node led at the time).
 */
final class FailoverTccRm extends AbstractResourceManager {
    /** One phase-two request as the RM received it. */
    record Call(boolean commit, long branchId) {
    }

    private final Map<String, Resource> resources = new ConcurrentHashMap<>();
    private final Map<String, List<Call>> calls = new ConcurrentHashMap<>();

    @Override
    public BranchStatus branchCommit(BranchType branchType, String xid, long branchId, String resourceId,
            String applicationData) {
        record(xid, new Call(true, branchId));
        return BranchStatus.PhaseTwo_Committed;
    }

    @Override
    public BranchStatus branchRollback(BranchType branchType, String xid, long branchId, String resourceId,
            String applicationData) {
        record(xid, new Call(false, branchId));
        return BranchStatus.PhaseTwo_Rollbacked;
    }

    private void record(String xid, Call call) {
        calls.computeIfAbsent(xid, k -> new CopyOnWriteArrayList<>()).add(call);
    }

    List<Call> callsFor(String xid) {
        return List.copyOf(calls.getOrDefault(xid, List.of()));
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
