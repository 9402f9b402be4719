package io.tessera.raft.tx;

/**
 * One entry of the replicated member directory (SetMember): a member's node id and endpoints.
 *
 * @param host the advertised host clients and peers use
 * @param setTime stamp time (epoch ms) of the entry that set it
 * @param requestedBy who asked, as the proposer recorded it
 */
public record MemberRecord(String nodeId, String host, int controlPort, int transactionPort, int raftPort,
        long setTime, String requestedBy) {

    /** "host:raftPort", the member's identity in jraft's configuration. */
    public String raftEndpoint() {
        return host + ":" + raftPort;
    }

    /** {@code id@host:control:transaction:raft}, the form of {@code cluster.members}. */
    public String spec() {
        return nodeId + "@" + host + ":" + controlPort + ":" + transactionPort + ":" + raftPort;
    }
}
