package io.tessera.compat;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.seata.core.model.BranchStatus;
import org.apache.seata.core.model.BranchType;
import org.apache.seata.core.model.Resource;
import org.apache.seata.rm.AbstractResourceManager;

/**
 * A TCC resource manager inside the real RM client: branch register, report and the RM's
 * connection handling are Seata's own (AbstractResourceManager); only phase two is answered by
 * the test's {@link PhaseTwoRecorder} instead of invoking TCC beans.
 */
public final class RecordingTccResourceManager extends AbstractResourceManager {
    private final PhaseTwoRecorder recorder;
    private final Map<String, Resource> resources = new ConcurrentHashMap<>();

    public RecordingTccResourceManager(PhaseTwoRecorder recorder) {
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
