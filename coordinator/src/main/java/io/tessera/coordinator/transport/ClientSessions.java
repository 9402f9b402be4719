package io.tessera.coordinator.transport;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every registered connection of this node; keeps the RM index and pending TC→RM requests in step. */
public final class ClientSessions {
    private static final Logger LOG = LoggerFactory.getLogger(ClientSessions.class);

    private final Set<ClientSession> all = ConcurrentHashMap.newKeySet();
    private final RmChannels rmChannels;
    private final RmRequestSender sender;

    public ClientSessions(RmChannels rmChannels, RmRequestSender sender) {
        this.rmChannels = rmChannels;
        this.sender = sender;
    }

    void registered(ClientSession session) {
        all.add(session);
        if (session.role() == ClientRole.RM) {
            rmChannels.register(session);
        }
    }

    /** A follow-up RegisterRM added resources to a registered RM connection. */
    void resourcesAdded(ClientSession session, java.util.Collection<String> added) {
        if (session.role() == ClientRole.RM && !added.isEmpty()) {
            rmChannels.resourcesAdded(session, added);
        }
    }

    void closed(ClientSession session) {
        if (all.remove(session) && session.log().tryLog()) {
            LOG.info("{} disconnected{}{}", session,
                    session.role() == ClientRole.RM ? " (resources " + Describe.sample(session.resourceIds()) + ")" : "",
                    session.log().suppressedNote());
        }
        if (session.role() == ClientRole.RM) {
            rmChannels.unregister(session);
            sender.onClosed(session);
        }
    }

    void rmResponse(ClientSession from, int requestId, io.tessera.codec.message.BranchEndResponse response) {
        sender.onResponse(from, requestId, response);
    }

    /** True if a live TM connection of {@code applicationId} comes from {@code peerIp} (unsigned RM check). */
    boolean hasTm(String applicationId, String peerIp) {
        for (ClientSession s : all) {
            if (s.role() == ClientRole.TM && s.alive() && s.applicationId().equals(applicationId)
                    && s.peerIp().equals(peerIp)) {
                return true;
            }
        }
        return false;
    }

    public long count(ClientRole role) {
        return all.stream().filter(s -> s.role() == role).count();
    }
}
