package io.tessera.coordinator.control;

import java.util.List;

/**
 * One membership request of the admin API, as it travels from the receiving node to the leader.
 *
 * @param kind what to do
 * @param member add/replace: the new member {@code id@host:control:transaction:raft}; remove and
 *     transfer-leader: a node id or raft endpoint (transfer-leader: empty = the voter furthest ahead)
 * @param old replace: the member to replace (node id or raft endpoint)
 * @param raftEndpoints change-cluster: the voters wanted, "host:port" each (Seata's raftClusterStr)
 * @param timeoutMs how long the change may take (a new member's catch-up included)
 * @param requestedBy who asked, for the log and the member directory
 */
public record MemberOp(Kind kind, String member, String old, List<String> raftEndpoints, long timeoutMs,
        String requestedBy) {
    public static final long DEFAULT_TIMEOUT_MS = 120_000;
    public static final long MAX_TIMEOUT_MS = 900_000;

    public enum Kind {
        LIST,
        /** This node's own node id and endpoints (asked of a node about to be added). */
        IDENTITY,
        ADD,
        REMOVE,
        REPLACE,
        TRANSFER_LEADER,
        CHANGE_CLUSTER
    }

    public MemberOp {
        raftEndpoints = raftEndpoints == null ? List.of() : List.copyOf(raftEndpoints);
        member = member == null ? "" : member;
        old = old == null ? "" : old;
        requestedBy = requestedBy == null ? "" : requestedBy;
        if (timeoutMs <= 0) {
            timeoutMs = DEFAULT_TIMEOUT_MS;
        }
        timeoutMs = Math.min(timeoutMs, MAX_TIMEOUT_MS);
    }

    public static MemberOp of(Kind kind, String requestedBy) {
        return new MemberOp(kind, "", "", List.of(), DEFAULT_TIMEOUT_MS, requestedBy);
    }
}
