package io.tessera.raft.tx;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tessera.raft.proto.MemberData;
import java.util.ArrayList;
import java.util.List;

/** Typed access to the {@code members} table (the member directory) over a {@link Kv}. */
final class MemberTable {
    private final Kv kv;

    MemberTable(Kv kv) {
        this.kv = kv;
    }

    MemberData get(String nodeId) {
        return decode(kv.get(Table.MEMBERS, StoreKeys.member(nodeId)));
    }

    void put(MemberData m) {
        kv.put(Table.MEMBERS, StoreKeys.member(m.getNodeId()), m.toByteArray());
    }

    void delete(String nodeId) {
        kv.delete(Table.MEMBERS, StoreKeys.member(nodeId));
    }

    /** Every entry, in node id order. */
    List<MemberData> all() {
        List<MemberData> out = new ArrayList<>();
        kv.scan(Table.MEMBERS, new byte[0], (k, v) -> {
            out.add(decode(v));
            return true;
        });
        return out;
    }

    /** The whole table as the read API's immutable list. */
    List<MemberRecord> records() {
        return all().stream().map(m -> new MemberRecord(m.getNodeId(), m.getHost(), m.getControlPort(),
                m.getTransactionPort(), m.getRaftPort(), m.getSetTime(), m.getRequestedBy())).toList();
    }

    private static MemberData decode(byte[] v) {
        try {
            return v == null ? null : MemberData.parseFrom(v);
        } catch (InvalidProtocolBufferException e) {
            throw new StoreException("undecodable stored member entry", e);
        }
    }
}
