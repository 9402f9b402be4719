package io.tessera.raft.tx;

import io.tessera.raft.proto.EndedData;
import io.tessera.raft.proto.GlobalData;
import java.nio.ByteBuffer;

/**
 * The console's indexes over every retained transaction (live and ended) and over the row locks, kept in
 * table console_idx by the same writes as the records (so in the same WriteBatch, on every replica). The
 * console's queries page through them without reading the transactions they skip, and take their totals
 * from the counters instead of counting.
 *
 * <pre>
 * 'A' inv(begin)(8) inv(txId)(8)                         -> xid   every retained transaction, newest first
 * 'S' status(1) inv(begin) inv(txId)                     -> xid   by (live or final) status
 * 'P' len(app)(4) app inv(begin) inv(txId)               -> xid   by application id
 * 'N' len(name)(4) name inv(begin) inv(txId)             -> xid   by transaction name
 * 'T' len(table)(4) table rowKey                         -> ''    row locks by table name (rowKey: StoreKeys.row)
 * 'C' prefix                                             -> count(8) entries under prefix ('A', 'S'+status,
 *                                                                 'P'+app, 'N'+name; 'L' = all row locks)
 * </pre>
 *
 * inv(x) = Long.MAX_VALUE - x, so a forward scan yields the newest transaction first (Seata's db mode
 * orders by creation time descending); within one prefix the begin time is a key range, so a time filter
 * is a seek, not a filter.
 */
final class ConsoleIndex {
    static final byte ALL = 'A';
    static final byte STATUS = 'S';
    static final byte APP = 'P';
    static final byte NAME = 'N';
    static final byte TABLE = 'T';
    static final byte COUNT = 'C';
    static final byte[] LOCKS_COUNT = {COUNT, 'L'};
    /** META key marking a store whose console index is complete (see {@link #rebuild}). */
    static final byte[] BUILT = StoreKeys.utf8("console_idx_v1");

    /** What the index needs of a transaction, live or ended. */
    record Entry(String xid, long transactionId, long beginTime, int status, String applicationId, String name) {
        static Entry of(GlobalData g) {
            return new Entry(g.getXid(), g.getTransactionId(), g.getBeginTime(), g.getStatus(), g.getApplicationId(),
                    g.getName());
        }

        static Entry of(EndedData e) {
            return new Entry(e.getXid(), e.getTransactionId(), e.getBeginTime(), e.getStatus(), e.getApplicationId(),
                    e.getName());
        }
    }

    private final Kv kv;

    ConsoleIndex(Kv kv) {
        this.kv = kv;
    }

    void add(Entry e) {
        byte[] xid = StoreKeys.xid(e.xid());
        for (byte[] p : prefixes(e)) {
            kv.put(Table.CONSOLE_INDEX, key(p, e), xid);
            count(p, +1);
        }
    }

    void remove(Entry e) {
        for (byte[] p : prefixes(e)) {
            kv.delete(Table.CONSOLE_INDEX, key(p, e));
            count(p, -1);
        }
    }

    /** {@code e} moved from status {@code from} to e.status() (nothing else of an entry changes). */
    void statusChanged(Entry e, int from) {
        if (from == e.status()) {
            return;
        }
        byte[] old = statusPrefix(from);
        kv.delete(Table.CONSOLE_INDEX, key(old, e));
        count(old, -1);
        byte[] now = statusPrefix(e.status());
        kv.put(Table.CONSOLE_INDEX, key(now, e), StoreKeys.xid(e.xid()));
        count(now, +1);
    }

    /** A row lock taken (the row was free). */
    void lockTaken(byte[] row) {
        kv.put(Table.CONSOLE_INDEX, tableKey(row), new byte[0]);
        count(LOCKS_COUNT, +1);
    }

    /** A row lock released (the row was held). */
    void lockReleased(byte[] row) {
        kv.delete(Table.CONSOLE_INDEX, tableKey(row));
        count(LOCKS_COUNT, -1);
    }

    long count(byte[] prefix) {
        byte[] v = kv.get(Table.CONSOLE_INDEX, countKey(prefix));
        return v == null ? 0 : StoreKeys.longOf(v);
    }

    private void count(byte[] prefix, long delta) {
        long n = count(prefix) + delta;
        if (n < 0) {
            throw new StoreException("console index counter below zero for prefix " + StoreKeys.str(prefix));
        }
        if (n == 0) {
            kv.delete(Table.CONSOLE_INDEX, countKey(prefix));
        } else {
            kv.put(Table.CONSOLE_INDEX, countKey(prefix), StoreKeys.longValue(n));
        }
    }

    private static byte[][] prefixes(Entry e) {
        return new byte[][] {{ALL}, statusPrefix(e.status()), stringPrefix(APP, e.applicationId()),
                stringPrefix(NAME, e.name())};
    }

    static byte[] statusPrefix(int status) {
        return new byte[] {STATUS, (byte) status};
    }

    static byte[] stringPrefix(byte kind, String value) {
        byte[] v = StoreKeys.utf8(value == null ? "" : value);
        return ByteBuffer.allocate(5 + v.length).put(kind).putInt(v.length).put(v).array();
    }

    static byte[] countKey(byte[] prefix) {
        return ByteBuffer.allocate(1 + prefix.length).put(COUNT).put(prefix).array();
    }

    static byte[] key(byte[] prefix, Entry e) {
        return key(prefix, e.beginTime(), e.transactionId());
    }

    static byte[] key(byte[] prefix, long beginTime, long transactionId) {
        return ByteBuffer.allocate(prefix.length + 16).put(prefix).putLong(Long.MAX_VALUE - beginTime)
                .putLong(Long.MAX_VALUE - transactionId).array();
    }

    /** Begin time of an index key under a prefix of {@code prefixLength} bytes. */
    static long beginTimeOf(byte[] key, int prefixLength) {
        return Long.MAX_VALUE - ByteBuffer.wrap(key).getLong(prefixLength);
    }

    static byte[] tablePrefix(String table) {
        return stringPrefix(TABLE, table);
    }

    static byte[] tableKey(byte[] row) {
        String table = StoreKeys.rowParts(row)[1];
        byte[] p = tablePrefix(table);
        return ByteBuffer.allocate(p.length + row.length).put(p).put(row).array();
    }

    static byte[] rowOfTableKey(byte[] key) {
        int len = ByteBuffer.wrap(key).getInt(1);
        int from = 5 + len;
        byte[] row = new byte[key.length - from];
        System.arraycopy(key, from, row, 0, row.length);
        return row;
    }

    /**
     * Builds the index from the primary tables into {@code kv} (a batch over a store that has none:
     * one written before the console existed, or restored from such a snapshot). A pure function of the
     * stored state, so replicas that rebuild agree with replicas that maintained it all along.
     */
    static void rebuild(Kv kv) {
        boolean[] found = {false};
        kv.scan(Table.CONSOLE_INDEX, new byte[0], (k, v) -> {
            found[0] = true;
            return false;
        });
        if (found[0]) {
            // Written only together with BUILT, in one batch: entries without it mean a damaged store.
            throw new StoreException("console index has entries but no completion mark");
        }
        TxTables t = new TxTables(kv);
        ConsoleIndex idx = new ConsoleIndex(kv);
        kv.scan(Table.GLOBALS, new byte[0], (k, v) -> {
            idx.add(Entry.of(t.global(StoreKeys.str(k))));
            return true;
        });
        kv.scan(Table.ENDED, new byte[0], (k, v) -> {
            idx.add(Entry.of(t.ended(StoreKeys.str(k))));
            return true;
        });
        kv.scan(Table.LOCKS, new byte[0], (k, v) -> {
            idx.lockTaken(k);
            return true;
        });
        kv.put(Table.META, BUILT, new byte[] {1});
    }
}
