package io.tessera.coordinator.tc.auth;

import io.tessera.raft.group.LeaderListener;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader-only: makes sure the cluster has a control-port token key. jraft calls {@link #onLeaderStart}
 * once every entry of earlier terms is applied here, so "no key in the state" then means the cluster has
 * never had one; the leader proposes a random key (bootstrap form: applied only while none exists, so two
 * leaders in a row cannot both set one). Until it is applied, login on every node answers "not ready".
 * A failed proposal is retried every second while this node still leads in the same term.
 */
public final class TokenKeyDriver implements LeaderListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TokenKeyDriver.class);
    private static final long RETRY_MS = 1_000;

    private final ReplicatedAuthState auth;
    private final ScheduledExecutorService scheduler;
    private final String nodeId;
    private volatile long term = -1;

    public TokenKeyDriver(ReplicatedAuthState auth, ScheduledExecutorService scheduler, String nodeId) {
        this.auth = auth;
        this.scheduler = scheduler;
        this.nodeId = nodeId;
    }

    @Override
    public void onLeaderStart(long newTerm) {
        term = newTerm;
        scheduler.execute(() -> ensureKey(newTerm));
    }

    @Override
    public void onLeaderStop(long oldTerm) {
        term = -1;
    }

    private void ensureKey(long t) {
        if (term != t || auth.tokenKey().isPresent()) {
            return;
        }
        LOG.info("the cluster has no control token key yet; proposing the first one");
        auth.createFirstKey(nodeId + ": first leader without a key, term " + t).whenComplete((generation, e) -> {
            if (e == null) {
                LOG.info("control token key generation {} is in place; logins are open", generation);
            } else if (term == t) {
                LOG.warn("first control token key not recorded yet ({}); retrying in {} ms",
                        (e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e)
                                .toString(), RETRY_MS);
                scheduler.schedule(() -> ensureKey(t), RETRY_MS, TimeUnit.MILLISECONDS);
            }
        });
    }

    @Override
    public void close() {
        term = -1;
    }
}
