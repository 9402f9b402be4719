package io.tessera.coordinator.control;

import java.util.concurrent.CompletableFuture;

/**
 * The cluster's membership as the admin API sees it: list, add, remove, replace members, move the
 * leadership. Implemented over the Raft group (any node takes a request and has the leader execute it).
 */
public interface MemberAdmin {

    /**
     * @param status HTTP status of the answer: 200 done, 400 malformed request, 404 unknown member, 409
     *     refused in the current state (another change running, a node that is not reachable or not who
     *     it should be, the last voter), 503 not confirmed (no leader, leader changed, timed out: check
     *     with a listing and repeat if needed)
     * @param data the members after the change (or the listing), JSON-able
     */
    record Answer(int status, String message, Object data) {
        public static Answer ok(String message, Object data) {
            return new Answer(200, message, data);
        }

        public static Answer error(int status, String message) {
            return new Answer(status, message, null);
        }
    }

    /** Completes within the operation's timeout (plus a margin for forwarding); never exceptionally. */
    CompletableFuture<Answer> execute(MemberOp op);
}
