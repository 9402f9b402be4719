package io.tessera.coordinator.tc.port;

import io.tessera.codec.message.BranchEndRequest;
import io.tessera.codec.message.BranchEndResponse;
import java.util.concurrent.CompletableFuture;

/** Gets a BranchCommit/BranchRollback to the branch's RM and brings its answer back. */
@FunctionalInterface
public interface BranchDelivery {

    /**
     * @param clientId the RM connection that registered the branch ({@code appId:ip:port}); others of the
     *     same resource are used when it is gone (spec §9.5.1)
     * @return the RM's answer; fails when no RM could be reached or it did not answer in time
     */
    CompletableFuture<BranchEndResponse> deliver(BranchEndRequest request, String clientId);
}
