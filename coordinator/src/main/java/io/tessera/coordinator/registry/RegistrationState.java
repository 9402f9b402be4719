package io.tessera.coordinator.registry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether an entry is currently registered, logged once per change: a registry that stays unreachable
 * gives one warning, not one per retry.
 */
final class RegistrationState {
    private static final Logger LOG = LoggerFactory.getLogger(RegistrationState.class);

    private final String what;
    private Boolean registered;
    private boolean everRegistered;

    /** @param what e.g. {@code zk 127.0.0.1:2181 /registry/zk/default/10.0.0.1:8091} */
    RegistrationState(String what) {
        this.what = what;
    }

    /** @return true when this is a change (the entry was not known to be registered before) */
    synchronized boolean registered() {
        if (Boolean.TRUE.equals(registered)) {
            return false;
        }
        registered = true;
        everRegistered = true;
        LOG.info("registry: registered {}", what);
        return true;
    }

    synchronized void failed(String reason) {
        if (Boolean.FALSE.equals(registered)) {
            return;
        }
        registered = false;
        LOG.warn("registry: {} is not registered ({}); retrying with backoff", what, reason);
    }

    synchronized void deregistered(boolean removed) {
        registered = null;
        if (removed) {
            LOG.info("registry: deregistered {}", what);
        } else if (everRegistered) {
            LOG.info("registry: left {} to the registry's expiry (not reachable at stop)", what);
        } else {
            LOG.info("registry: stopped registering {} (it never got registered)", what);
        }
    }

    synchronized boolean isRegistered() {
        return Boolean.TRUE.equals(registered);
    }
}
