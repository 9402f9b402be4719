package io.tessera.coordinator.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything one node needs to start. Built by {@link NodeConfigLoader} (validated) or directly by
 * tests. Own ports always equal the node's entry in {@link #members()}.
 */
public record NodeConfig(
        String nodeId,
        String bindHost,
        Path dataDir,
        List<MemberSpec> members,
        String raftGroup,
        int electionTimeoutMs,
        int deadLeaderElectionTimeoutMs,
        int snapshotIntervalSeconds,
        int requestTimeoutMs,
        int rmRequestTimeoutMs,
        int readerIdleSeconds,
        int executorThreads,
        int maxFrameLength,
        int maxInflightRequests,
        String registryUsername,
        String registryPassword) {

    public NodeConfig {
        members = List.copyOf(members);
    }

    public MemberSpec self() {
        return members.stream().filter(m -> m.id().equals(nodeId)).findFirst()
                .orElseThrow(() -> new ConfigException("node.id '" + nodeId + "' is not in cluster.members"));
    }

    /** The host clients and peers use to reach this node. */
    public String advertisedHost() {
        return self().host();
    }

    public int controlPort() {
        return self().controlPort();
    }

    public int transactionPort() {
        return self().transactionPort();
    }

    public int raftPort() {
        return self().raftPort();
    }

    /** Present only when both username and password are configured. */
    public Optional<Credentials> registryCredentials() {
        if (registryUsername == null || registryUsername.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Credentials(registryUsername, registryPassword == null ? "" : registryPassword));
    }

    public Path logDir() {
        return dataDir.resolve("logs");
    }

    public Path pidFile() {
        return dataDir.resolve("node.pid");
    }

    public record Credentials(String username, String password) {
        @Override
        public String toString() {
            return "Credentials[" + username + ", ****]";
        }
    }

    @Override
    public String toString() {
        return "NodeConfig[node=" + nodeId + ", members=" + members + ", group=" + raftGroup
                + ", dataDir=" + dataDir + ", requestTimeoutMs=" + requestTimeoutMs
                + ", auth=" + (registryCredentials().isPresent() ? "on" : "off") + "]";
    }
}
