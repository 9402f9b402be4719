package io.tessera.raft.tx;

/**
 * Key-value access to the store's tables. The apply path uses a batch view (reads see the batch's own
 * earlier writes); the read API uses a snapshot view (read-only, one consistent point in time).
 */
interface Kv {

    /** Visits one entry of a scan; return false to stop. */
    interface Visitor {
        boolean visit(byte[] key, byte[] value);
    }

    byte[] get(Table table, byte[] key);

    void put(Table table, byte[] key, byte[] value);

    void delete(Table table, byte[] key);

    /** Entries whose key starts with {@code prefix} (empty = all), in ascending key order. */
    void scan(Table table, byte[] prefix, Visitor visitor);

    /**
     * Entries whose key starts with {@code prefix}, from the first key at or after {@code start} (which
     * must itself start with {@code prefix}), in ascending key order.
     */
    void scanFrom(Table table, byte[] prefix, byte[] start, Visitor visitor);
}
