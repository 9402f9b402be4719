package io.tessera.raft.tx;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Key encodings. Numbers are big-endian so RocksDB's bytewise order is numeric order for the
 * non-negative values we store (ids, epoch millis); this is what makes the indexes range-scannable.
 *
 * <pre>
 * globals           xid                                   -> GlobalData
 * branches          xid 0x00 order(8)                     -> BranchData   (xid never contains 0x00)
 * locks             len(res)(4) res len(table)(4) table pk -> LockData
 * status_idx        status(1) transactionId(8)            -> xid
 * deadline_idx      deadline(8) transactionId(8)          -> xid          (Begin transactions only)
 * ended             xid                                   -> EndedData
 * ended_time_idx    endTime(8) transactionId(8)           -> xid
 * meta              "last_applied"                        -> index(8)
 * auth              "token_key"                           -> TokenKeyData
 * auth              "credentials/" role name              -> ControlCredentialsData
 * members           node id                               -> MemberData
 * </pre>
 */
final class StoreKeys {
    static final byte[] LAST_APPLIED = utf8("last_applied");
    static final byte[] TOKEN_KEY = utf8("token_key");

    private StoreKeys() {
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static byte[] credentials(ControlRole role) {
        return utf8("credentials/" + role.wireName());
    }

    static byte[] member(String nodeId) {
        return utf8(nodeId);
    }

    static byte[] xid(String xid) {
        return utf8(xid);
    }

    static byte[] branchPrefix(String xid) {
        byte[] x = utf8(xid);
        byte[] k = new byte[x.length + 1];
        System.arraycopy(x, 0, k, 0, x.length);
        return k;
    }

    static byte[] branch(String xid, long order) {
        byte[] x = utf8(xid);
        return ByteBuffer.allocate(x.length + 9).put(x).put((byte) 0).putLong(order).array();
    }

    static byte[] row(String resourceId, String table, String pk) {
        byte[] r = utf8(resourceId);
        byte[] t = utf8(table);
        byte[] p = utf8(pk);
        return ByteBuffer.allocate(8 + r.length + t.length + p.length)
                .putInt(r.length).put(r).putInt(t.length).put(t).put(p).array();
    }

    /** [resourceId, table, pk] of a row key, for dumps. */
    static String[] rowParts(byte[] key) {
        ByteBuffer b = ByteBuffer.wrap(key);
        byte[] r = new byte[b.getInt()];
        b.get(r);
        byte[] t = new byte[b.getInt()];
        b.get(t);
        byte[] p = new byte[b.remaining()];
        b.get(p);
        return new String[] {str(r), str(t), str(p)};
    }

    static byte[] statusPrefix(int status) {
        return new byte[] {(byte) status};
    }

    static byte[] status(int status, long transactionId) {
        return ByteBuffer.allocate(9).put((byte) status).putLong(transactionId).array();
    }

    static byte[] timeKey(long time, long transactionId) {
        return ByteBuffer.allocate(16).putLong(time).putLong(transactionId).array();
    }

    static long timeOf(byte[] timeKey) {
        return ByteBuffer.wrap(timeKey).getLong(0);
    }

    static byte[] longValue(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    static long longOf(byte[] b) {
        if (b.length != 8) {
            throw new StoreException("bad long value of length " + b.length);
        }
        return ByteBuffer.wrap(b).getLong();
    }
}
