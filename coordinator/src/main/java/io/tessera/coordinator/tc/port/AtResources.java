package io.tessera.coordinator.tc.port;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resourceIds this node has seen register AT branches: the recipients of the undo-log delete
 * broadcast (an RM asked about a TCC or XA resource only logs a warning). Node-local knowledge, refilled
 * by registrations after a restart; bounded, because resourceIds are client input.
 */
public final class AtResources {
    private static final Logger LOG = LoggerFactory.getLogger(AtResources.class);
    public static final int MAX = 4_096;

    private final Set<String> ids = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean fullLogged = new AtomicBoolean();

    public void seen(String resourceId) {
        if (resourceId == null || resourceId.isEmpty() || ids.contains(resourceId)) {
            return;
        }
        if (ids.size() >= MAX) {
            if (fullLogged.compareAndSet(false, true)) {
                LOG.warn("more than {} AT resourceIds seen; further ones get no undo-log delete broadcast", MAX);
            }
            return;
        }
        ids.add(resourceId);
    }

    public Set<String> snapshot() {
        return Set.copyOf(ids);
    }
}
