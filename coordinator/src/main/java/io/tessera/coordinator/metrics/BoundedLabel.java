package io.tessera.coordinator.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a label's values bounded: the first {@code limit} distinct values seen are kept as they are,
 * every later one becomes {@value #OTHER}. Values come from clients (applicationId, transaction names,
 * exception classes), so without a bound a client could make the exposition grow without end.
 */
final class BoundedLabel {
    static final String OTHER = "other";

    private final int limit;
    private final Set<String> kept = ConcurrentHashMap.newKeySet();

    BoundedLabel(int limit) {
        this.limit = limit;
    }

    String of(String value) {
        String v = value == null ? "" : value;
        if (kept.contains(v)) {
            return v;
        }
        // A race may let a few more than `limit` in; the bound only has to hold roughly.
        if (kept.size() < limit) {
            kept.add(v);
            return v;
        }
        return OTHER;
    }
}
