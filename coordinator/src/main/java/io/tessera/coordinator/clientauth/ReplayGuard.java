package io.tessera.coordinator.clientauth;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Refuses a registration signature seen before on this node while its timestamp is inside the
 * accepted window (a real client signs every connection afresh). Entries leave once their timestamp is
 * out of the window, so the map holds at most the signatures accepted in one window; beyond
 * {@code capacity} new signatures are refused rather than letting the map grow.
 */
final class ReplayGuard {
    private final Map<String, Long> seenUntil = new ConcurrentHashMap<>();
    private final int capacity;

    ReplayGuard(int capacity) {
        this.capacity = capacity;
    }

    enum Result { FIRST_USE, REPLAYED, FULL }

    /** @param expiresAtMillis when the signature's timestamp leaves the window */
    Result use(String digest, long expiresAtMillis, long nowMillis) {
        if (seenUntil.size() >= capacity) {
            purge(nowMillis);
            if (seenUntil.size() >= capacity) {
                return Result.FULL;
            }
        }
        return seenUntil.putIfAbsent(digest, expiresAtMillis) == null ? Result.FIRST_USE : Result.REPLAYED;
    }

    private void purge(long nowMillis) {
        for (Iterator<Long> it = seenUntil.values().iterator(); it.hasNext();) {
            if (it.next() < nowMillis) {
                it.remove();
            }
        }
    }
}
