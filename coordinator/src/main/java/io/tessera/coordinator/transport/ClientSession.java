package io.tessera.coordinator.transport;

import io.netty.channel.Channel;
import io.tessera.codec.text.ClientText;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One registered client connection (spec §9.1): who registered, with which codec, and (RM) which
 * resources it serves. Identity fields are fixed at registration; only the resource set grows,
 * through follow-up RegisterRM requests.
 */
public final class ClientSession {
    private final Channel channel;
    private final ClientRole role;
    private final ClientVersion version;
    private final String applicationId;
    private final String transactionServiceGroup;
    private final String peerIp;
    private final int peerPort;
    private final byte codec;
    private final String clientId;
    private final Set<String> resourceIds = ConcurrentHashMap.newKeySet();
    private final LogLimiter.Gate log;
    private final String logName;

    public ClientSession(Channel channel, ClientRole role, String version, String applicationId,
            String transactionServiceGroup, byte codec) {
        this(channel, role, version, applicationId, transactionServiceGroup, codec,
                (InetSocketAddress) channel.remoteAddress(), new LogLimiter().connection("?"));
    }

    ClientSession(Channel channel, ClientRole role, String version, String applicationId,
            String transactionServiceGroup, byte codec, InetSocketAddress peer, LogLimiter.Gate log) {
        this.channel = channel;
        this.role = role;
        this.version = ClientVersion.parse(version);
        this.applicationId = applicationId;
        this.transactionServiceGroup = transactionServiceGroup;
        this.peerIp = peer.getAddress().getHostAddress();
        this.peerPort = peer.getPort();
        this.codec = codec;
        // Built once: BranchRegister stores it and phase-two selection compares it on every branch.
        this.clientId = applicationId + ":" + peerIp + ":" + peerPort;
        this.log = log;
        this.logName = role + "[" + ClientText.of(clientId) + ", group=" + ClientText.of(transactionServiceGroup) + ", v"
                + ClientText.of(this.version.text()) + "]";
    }

    public Channel channel() {
        return channel;
    }

    public ClientRole role() {
        return role;
    }

    public ClientVersion version() {
        return version;
    }

    public String applicationId() {
        return applicationId;
    }

    public String transactionServiceGroup() {
        return transactionServiceGroup;
    }

    public String peerIp() {
        return peerIp;
    }

    public int peerPort() {
        return peerPort;
    }

    /** {@code applicationId:peerIp:peerPort}, what branches store to find their RM again (§9.5.1). */
    public String clientId() {
        return clientId;
    }

    /** Codec byte of the registration frame; used for everything this node sends on the connection. */
    public byte codec() {
        return codec;
    }

    public Set<String> resourceIds() {
        return Set.copyOf(resourceIds);
    }

    public int resourceCount() {
        return resourceIds.size();
    }

    /** Budget for log lines about this connection (see {@link LogLimiter}). */
    LogLimiter.Gate log() {
        return log;
    }

    public boolean holds(String resourceId) {
        return resourceIds.contains(resourceId);
    }

    public boolean alive() {
        return channel.isActive();
    }

    /**
     * Adds the ids of a comma-joined list (callers bound its size first, see {@link FieldLimits}).
     *
     * @return the ids that were new, or null (nothing added) if the connection would then hold more
     *     than {@code maxIds}
     */
    Set<String> addResources(String commaJoined, int maxIds) {
        if (commaJoined == null || commaJoined.isBlank()) {
            return Set.of();
        }
        Set<String> added = new java.util.LinkedHashSet<>();
        Arrays.stream(commaJoined.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .filter(s -> !resourceIds.contains(s)).forEach(added::add);
        // Registration runs on the connection's event loop only, so check-then-add cannot race.
        if (resourceIds.size() + added.size() > maxIds) {
            return null;
        }
        resourceIds.addAll(added);
        return added;
    }

    /** Safe for a log line: the client's strings are escaped and cut ({@link ClientText}). */
    @Override
    public String toString() {
        return logName;
    }
}
