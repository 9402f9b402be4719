package io.tessera.raft.tx;

import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.message.TransactionExceptionCode;
import io.tessera.codec.text.ClientText;
import io.tessera.raft.proto.MemberData;
import io.tessera.raft.proto.SetMember;
import io.tessera.raft.proto.TxResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SetMember, the member directory's only command. A pure function of (stored state, command) like every
 * transition. Rules (docs/architecture.md, "Commands"): a malformed entry is refused; remove deletes the
 * node id's entry (absent: nothing to do); otherwise the entry is stored under its node id, and an entry
 * of another node id with the same raft endpoint is deleted in the same batch, so that the directory
 * never names two members for one place in jraft's configuration (e.g. a node restored onto the address
 * of another). An entry equal to the stored one changes nothing.
 */
final class MemberTransitions {
    private static final Logger LOG = LoggerFactory.getLogger(MemberTransitions.class);

    TxResult setMember(SetMember c, long now, TxTables t) {
        String problem = MemberLimits.problem(c);
        if (problem != null) {
            return Results.reject(TransactionExceptionCode.Unknown, "", GlobalStatus.UnKnown,
                    "SetMember refused: " + problem).build();
        }
        MemberTable members = new MemberTable(t.kv());
        MemberData current = members.get(c.getNodeId());
        if (c.getRemove()) {
            if (current == null) {
                return ok(false, "member " + c.getNodeId() + " not in the directory");
            }
            members.delete(c.getNodeId());
            LOG.info("member directory: {} removed (requested by {})", c.getNodeId(), ClientText.of(c.getRequestedBy()));
            return ok(true, "member " + c.getNodeId() + " removed");
        }
        if (current != null && sameEndpoints(current, c)) {
            return ok(false, "member " + c.getNodeId() + " already at these endpoints");
        }
        String raft = c.getHost() + ":" + c.getRaftPort();
        for (MemberData other : members.all()) {
            if (!other.getNodeId().equals(c.getNodeId()) && (other.getHost() + ":" + other.getRaftPort()).equals(raft)) {
                members.delete(other.getNodeId());
                LOG.info("member directory: {} dropped, {} now has its raft endpoint {}", other.getNodeId(),
                        c.getNodeId(), raft);
            }
        }
        MemberData entry = MemberData.newBuilder()
                .setNodeId(c.getNodeId())
                .setHost(c.getHost())
                .setControlPort(c.getControlPort())
                .setTransactionPort(c.getTransactionPort())
                .setRaftPort(c.getRaftPort())
                .setSetTime(now)
                .setRequestedBy(c.getRequestedBy())
                .build();
        members.put(entry);
        String spec = c.getNodeId() + "@" + c.getHost() + ":" + c.getControlPort() + ":" + c.getTransactionPort() + ":"
                + c.getRaftPort();
        LOG.info("member directory: {} (requested by {})", spec, ClientText.of(c.getRequestedBy()));
        return ok(true, "member " + spec + " recorded");
    }

    private static boolean sameEndpoints(MemberData d, SetMember c) {
        return d.getHost().equals(c.getHost()) && d.getControlPort() == c.getControlPort()
                && d.getTransactionPort() == c.getTransactionPort() && d.getRaftPort() == c.getRaftPort();
    }

    private static TxResult ok(boolean applied, String message) {
        return Results.ok("", GlobalStatus.UnKnown, applied).setMessage(message).build();
    }
}
