package io.tessera.coordinator.transport;

import io.tessera.codec.message.BranchType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node-local registry of RM connections and the phase-two channel choice of spec §9.5.1.
 * Written by event-loop threads (register, resources, close), read by any thread.
 */
public final class RmChannels {
    private final Set<ClientSession> sessions = ConcurrentHashMap.newKeySet();
    // resourceId -> holders in registration order. Values are immutable lists replaced inside
    // compute(), so readers iterate a consistent snapshot without locks, and an add racing with the
    // removal of a resource's last holder cannot be lost.
    private final Map<String, List<ClientSession>> byResource = new ConcurrentHashMap<>();
    private final Map<String, ClientSession> byClientId = new ConcurrentHashMap<>();

    /**
     * Every index change of one session happens on that session's event loop (registration, follow-up
     * registration, close), so a session's own updates never race with each other.
     */
    void register(ClientSession session) {
        sessions.add(session);
        byClientId.put(session.clientId(), session);
        resourcesAdded(session, session.resourceIds());
    }

    void resourcesAdded(ClientSession session, Collection<String> resourceIds) {
        for (String resourceId : resourceIds) {
            byResource.compute(resourceId, (k, holders) -> {
                if (holders == null) {
                    return List.of(session);
                }
                if (holders.contains(session)) {
                    return holders;
                }
                List<ClientSession> more = new ArrayList<>(holders.size() + 1);
                more.addAll(holders);
                more.add(session);
                return List.copyOf(more);
            });
        }
    }

    void unregister(ClientSession session) {
        sessions.remove(session);
        byClientId.remove(session.clientId(), session);
        for (String resourceId : session.resourceIds()) {
            byResource.computeIfPresent(resourceId, (k, holders) -> {
                if (!holders.contains(session)) {
                    return holders;
                }
                List<ClientSession> rest = new ArrayList<>(holders);
                rest.remove(session);
                return rest.isEmpty() ? null : List.copyOf(rest);
            });
        }
    }

    /** Every live RM session on this node, e.g. for delivering phase two from another node. */
    public List<ClientSession> sessions() {
        return sessions.stream().filter(ClientSession::alive).toList();
    }

    /** ResourceIds that at least one RM connection on this node registered (live or closing). */
    public Set<String> resourceIds() {
        return Set.copyOf(byResource.keySet());
    }

    /**
     * The connection to send a branch's phase-two request on, in the reference order: the exact
     * connection; same application on the same ip; same application anywhere; and, for AT only,
     * any application holding the resource (AT undo data lives in the shared database). Among
     * equally good connections the earliest registered one wins.
     *
     * @param clientId {@code applicationId:ip:port} as stored at BranchRegister time
     */
    public Optional<ClientSession> select(String resourceId, String clientId, BranchType branchType) {
        // Fast path, the usual case: the branch's own connection is still there.
        ClientSession own = clientId == null ? null : byClientId.get(clientId);
        if (own != null && own.alive() && own.holds(resourceId)) {
            return Optional.of(own);
        }
        List<ClientSession> holders = resourceId == null ? null : byResource.get(resourceId);
        if (holders == null) {
            return Optional.empty();
        }
        ClientAddress wanted = ClientAddress.parse(clientId);
        ClientSession sameIp = null;
        ClientSession sameApp = null;
        ClientSession any = null;
        for (ClientSession s : holders) {
            if (!s.alive()) {
                continue;
            }
            if (any == null) {
                any = s;
            }
            if (wanted == null || !s.applicationId().equals(wanted.applicationId())) {
                continue;
            }
            boolean ipMatches = s.peerIp().equals(wanted.ip());
            if (ipMatches && s.peerPort() == wanted.port()) {
                return Optional.of(s);   // exact, spelled differently (e.g. a bracketed IPv6 address)
            }
            if (ipMatches && sameIp == null) {
                sameIp = s;
            }
            if (sameApp == null) {
                sameApp = s;
            }
        }
        if (sameIp != null) {
            return Optional.of(sameIp);
        }
        if (sameApp != null) {
            return Optional.of(sameApp);
        }
        return branchType == BranchType.AT ? Optional.ofNullable(any) : Optional.empty();
    }

    /** clientId split as the reference does: application id up to the first ':', then ip:port. */
    record ClientAddress(String applicationId, String ip, int port) {
        static ClientAddress parse(String clientId) {
            if (clientId == null) {
                return null;
            }
            int first = clientId.indexOf(':');
            int last = clientId.lastIndexOf(':');
            if (first <= 0 || last <= first) {
                return null;
            }
            try {
                String ip = clientId.substring(first + 1, last);
                if (ip.startsWith("[") && ip.endsWith("]")) {
                    ip = ip.substring(1, ip.length() - 1);
                }
                return new ClientAddress(clientId.substring(0, first), ip,
                        Integer.parseInt(clientId.substring(last + 1)));
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
