package io.tessera.coordinator.transport;

import io.tessera.codec.message.BranchType;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node-local registry of RM connections and the phase-two channel choice of spec §9.5.1.
 * Written by event-loop threads (register, resources, close), read by any thread.
 */
public final class RmChannels {
    private final Set<ClientSession> sessions = ConcurrentHashMap.newKeySet();

    void register(ClientSession session) {
        sessions.add(session);
    }

    void unregister(ClientSession session) {
        sessions.remove(session);
    }

    /** Every live RM session on this node, e.g. for delivering phase two from another node. */
    public List<ClientSession> sessions() {
        return sessions.stream().filter(ClientSession::alive).toList();
    }

    /**
     * The connection to send a branch's phase-two request on, in the reference order: the exact
     * connection; same application on the same ip; same application anywhere; and, for AT only,
     * any application holding the resource (AT undo data lives in the shared database).
     *
     * @param clientId {@code applicationId:ip:port} as stored at BranchRegister time
     */
    public Optional<ClientSession> select(String resourceId, String clientId, BranchType branchType) {
        ClientAddress wanted = ClientAddress.parse(clientId);
        List<ClientSession> holders = sessions.stream()
                .filter(s -> s.alive() && s.holds(resourceId))
                .toList();
        if (wanted != null) {
            Optional<ClientSession> exact = holders.stream().filter(s -> s.applicationId().equals(wanted.applicationId())
                    && s.peerIp().equals(wanted.ip()) && s.peerPort() == wanted.port()).findFirst();
            if (exact.isPresent()) {
                return exact;
            }
            Optional<ClientSession> sameIp = holders.stream()
                    .filter(s -> s.applicationId().equals(wanted.applicationId()) && s.peerIp().equals(wanted.ip()))
                    .findFirst();
            if (sameIp.isPresent()) {
                return sameIp;
            }
            Optional<ClientSession> sameApp = holders.stream()
                    .filter(s -> s.applicationId().equals(wanted.applicationId())).findFirst();
            if (sameApp.isPresent()) {
                return sameApp;
            }
        }
        return branchType == BranchType.AT ? holders.stream().findFirst() : Optional.empty();
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
