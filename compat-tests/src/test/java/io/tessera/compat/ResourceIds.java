package io.tessera.compat;

import org.apache.seata.core.model.BranchType;
import org.apache.seata.core.model.Resource;

/** The resource a test's resource manager registers: a group, an id and a branch type, nothing more. */
public final class ResourceIds {
    private ResourceIds() {
    }

    public static Resource resource(String group, String id, BranchType type) {
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
                return type;
            }
        };
    }
}
