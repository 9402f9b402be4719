package io.tessera.raft.tx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses an AT lock key, {@code table:pk1,pk2;table2:pk3}, into row keys of one resource. The table is
 * the text before the first ':' (so {@code db.t} works); composite keys arrive already joined by the
 * client and are opaque here. Empty segments and blank pks are skipped, duplicates collapse (first
 * occurrence wins the order). Unlike Seata, which silently stops at a segment without ':', a malformed
 * segment is an error: half-locking a branch would let another transaction overwrite rows it changed.
 */
final class LockKeys {
    private LockKeys() {
    }

    /** The distinct row keys in lock-key order; empty for a null/blank key. */
    static List<byte[]> rows(String resourceId, String lockKey) {
        if (lockKey == null || lockKey.isBlank()) {
            return List.of();
        }
        Map<String, byte[]> rows = new LinkedHashMap<>();
        for (String segment : lockKey.split(";")) {
            if (segment.isBlank()) {
                continue;
            }
            int colon = segment.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("malformed lock key segment '" + segment + "' in '" + lockKey + "'");
            }
            String table = segment.substring(0, colon).trim();
            String pks = segment.substring(colon + 1);
            boolean any = false;
            for (String pk : pks.split(",")) {
                if (pk.isBlank()) {
                    continue;
                }
                any = true;
                rows.putIfAbsent(table + '\u0000' + pk, StoreKeys.row(resourceId, table, pk));
            }
            if (!any) {
                throw new IllegalArgumentException("lock key segment '" + segment + "' names no primary key");
            }
        }
        return new ArrayList<>(rows.values());
    }
}
