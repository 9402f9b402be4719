package io.tessera.compat;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.seata.core.model.BranchStatus;
import org.apache.seata.core.model.BranchType;
import org.apache.seata.core.model.Resource;
import org.apache.seata.core.rpc.netty.RmNettyRemotingClient;
import org.apache.seata.rm.datasource.DataSourceManager;

/**
 * Seata's own AT resource manager (DataSourceManager: its GlobalLockQuery and branch register go
 * to the TC unchanged) with the database parts replaced: resources are plain ids instead of
 * DataSourceProxy, and phase two (undo-log cleanup / undo) is answered by the test's recorder.
 */
public final class RecordingAtResourceManager extends DataSourceManager {
    private final PhaseTwoRecorder recorder;
    private final Map<String, Resource> resources = new ConcurrentHashMap<>();

    public RecordingAtResourceManager(PhaseTwoRecorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public BranchStatus branchCommit(BranchType branchType, String xid, long branchId, String resourceId,
            String applicationData) {
        return recorder.handle(new PhaseTwoRecorder.Call(true, branchType, xid, branchId, resourceId, applicationData));
    }

    @Override
    public BranchStatus branchRollback(BranchType branchType, String xid, long branchId, String resourceId,
            String applicationData) {
        return recorder.handle(new PhaseTwoRecorder.Call(false, branchType, xid, branchId, resourceId, applicationData));
    }

    /** DataSourceManager would cast to DataSourceProxy; register the id with the RM client as it does. */
    @Override
    public void registerResource(Resource resource) {
        resources.put(resource.getResourceId(), resource);
        RmNettyRemotingClient.getInstance().registerResource(resource.getResourceGroupId(), resource.getResourceId());
    }

    @Override
    public Map<String, Resource> getManagedResources() {
        return resources;
    }
}
