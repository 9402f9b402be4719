package io.tessera.raft.tx;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/** An in-memory {@link Kv} with RocksDB's bytewise key order, for checking index maintenance against a rebuild. */
final class MemKv implements Kv {
    private final Map<Table, TreeMap<byte[], byte[]>> tables = new EnumMap<>(Table.class);

    TreeMap<byte[], byte[]> table(Table t) {
        return tables.computeIfAbsent(t, k -> new TreeMap<>(Arrays::compareUnsigned));
    }

    @Override
    public byte[] get(Table table, byte[] key) {
        return table(table).get(key);
    }

    @Override
    public void put(Table table, byte[] key, byte[] value) {
        table(table).put(key.clone(), value.clone());
    }

    @Override
    public void delete(Table table, byte[] key) {
        table(table).remove(key);
    }

    @Override
    public void scan(Table table, byte[] prefix, Visitor visitor) {
        scanFrom(table, prefix, prefix, visitor);
    }

    @Override
    public void scanFrom(Table table, byte[] prefix, byte[] start, Visitor visitor) {
        for (var e : table(table).tailMap(start, true).entrySet()) {
            if (!BatchKv.startsWith(e.getKey(), prefix) || !visitor.visit(e.getKey(), e.getValue())) {
                break;
            }
        }
    }
}
