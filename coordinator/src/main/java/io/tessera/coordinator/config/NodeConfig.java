package io.tessera.coordinator.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one node needs to start. Built by {@link NodeConfigLoader} (validated) or by tests through
 * {@link #builder}. Own ports always equal the node's entry in {@link #members()}.
 *
 * <p>There is no unauthenticated mode: both roles' credentials are always present. The raft port runs
 * without TLS only when {@link Security#memberTls()} is empty, which the loader allows only for an
 * explicit {@code raft.tls.enabled=false}.
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
        Security security,
        TransactionLimits transactionLimits,
        ControlLimits controlLimits,
        Lifecycle lifecycle, Recovery recovery,
        RegistryConfig registry, Monitoring monitoring) {

    public NodeConfig {
        Objects.requireNonNull(monitoring, "monitoring");
        members = List.copyOf(members);
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(transactionLimits, "transactionLimits");
        Objects.requireNonNull(controlLimits, "controlLimits");
        Objects.requireNonNull(lifecycle, "lifecycle");
        Objects.requireNonNull(recovery, "recovery");
        Objects.requireNonNull(registry, "registry");
    }

    public static Builder builder(String nodeId, Path dataDir, List<MemberSpec> members, Security security) {
        return new Builder(nodeId, dataDir, members, security);
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

    public Path logDir() {
        return dataDir.resolve("logs");
    }

    public Path pidFile() {
        return dataDir.resolve("node.pid");
    }

    public record Credentials(String username, String password) {
        public Credentials {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            return "Credentials[" + username + ", ****]";
        }
    }

    /** The PKCS12 keystore with this member's key, its chain and the trusted cluster CA(s). */
    public record MemberTlsFiles(Path keystore, String password) {
        public MemberTlsFiles {
            Objects.requireNonNull(keystore, "keystore");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            return "MemberTlsFiles[" + keystore + ", ****]";
        }
    }

    /**
     * Who may do what. {@code registry} is the client role (what Seata clients carry: registry metadata
     * and watch), {@code admin} the operator role (backup and every console or mutating endpoint).
     * {@code clientAuthKeysFile}, when present, turns on verification of the Seata clients' access-key
     * signatures on the transaction port.
     */
    public record Security(Credentials registry, Credentials admin, Optional<MemberTlsFiles> memberTls,
            Optional<Path> clientAuthKeysFile) {
        public Security {
            Objects.requireNonNull(registry, "registry");
            Objects.requireNonNull(admin, "admin");
            Objects.requireNonNull(memberTls, "memberTls");
            Objects.requireNonNull(clientAuthKeysFile, "clientAuthKeysFile");
        }

        @Override
        public String toString() {
            return "registry user " + registry.username() + ", admin user " + admin.username() + ", raft tls "
                    + (memberTls.isPresent() ? "on" : "OFF") + ", client auth "
                    + (clientAuthKeysFile.isPresent() ? "on" : "off");
        }
    }

    /**
     * What one client may hold on the transaction port (see docs/security.md): connections, time to
     * register and to finish a frame, memory in partial frames, and the size of what it registers.
     */
    public record TransactionLimits(int registrationTimeoutMs, int maxConnections, int maxConnectionsPerSource,
            int frameTimeoutMs, long maxPendingFrameBytes, int maxResourceIds, int maxFieldLength,
            int applicationDataLimit) {

        public static TransactionLimits defaults() {
            return new TransactionLimits(5_000, 4_096, 256, 10_000, 64L * 1024 * 1024, 1_024, 512, 64_000);
        }
    }

    /** Bounds of the control (HTTP) port: connections, idle time, and time to send a whole request. */
    public record ControlLimits(int maxConnections, int idleTimeoutMs, int requestTimeoutMs) {

        public static ControlLimits defaults() {
            return new ControlLimits(256, 60_000, 10_000);
        }
    }

    /**
     * How the node enters, restarts and leaves the cluster.
     *
     * @param join {@code cluster.join}: a node with no Raft state of its own joins a running cluster (it
     *     starts with no configuration and waits until a member adds it) instead of bootstrapping a new
     *     one from {@code cluster.members}; ignored once it has state
     * @param snapshotLogEntries {@code raft.snapshot-log-entries}: snapshot once this many entries were
     *     applied since the last snapshot, which bounds what a restart replays (0 = on the timer only)
     * @param drainTimeoutMs {@code shutdown.drain-timeout-ms}: on a graceful stop, after leadership was
     *     handed over, how long the node keeps serving until its in-flight requests are answered and
     *     clients have moved away, at most
     */
    public record Lifecycle(boolean join, int snapshotLogEntries, int drainTimeoutMs) {

        public static Lifecycle defaults() {
            return new Lifecycle(false, 50_000, 10_000);
        }
    }

    /**
     * @param metricsEnabled {@code metrics.enabled}: GET /metrics and the meters behind it (jraft's registry
     *     included); off = no recording on the request and apply paths, /metrics answers 404
     * @param metricsTokenFile {@code metrics.token-file}: a static bearer secret a scraper may send instead
     *     of a client or admin token (Prometheus' {@code authorization.credentials_file}); empty = tokens only
     * @param readyMaxApplyLag {@code health.ready-max-apply-lag}: /health/ready answers 503 while this node
     *     has applied more than this many entries less than the commit index it knows
     */
    public record Monitoring(boolean metricsEnabled, Optional<Path> metricsTokenFile, long readyMaxApplyLag) {

        public static Monitoring defaults() {
            return new Monitoring(true, Optional.empty(), 1_000);
        }
    }

    /**
     * Seata's phase-two retry lifecycle, same meanings and defaults as the reference TC (keys
     * {@code transaction.*} in docs/operations.md; Seata's {@code server.maxCommitRetryTimeout},
     * {@code server.recovery.*}, {@code server.undo.*}).
     *
     * @param maxCommitRetryTimeoutMs a commit still retrying this long after its global began is given up and
     *     parked in CommitRetryTimeout; -1 = retry forever (AsyncCommitting always retries, as in Seata)
     * @param maxRollbackRetryTimeoutMs the same for rollbacks (timeout rollbacks included), parked in
     *     RollbackRetryTimeout; -1 = forever
     * @param rollbackRetryTimeoutUnlockEnable whether a rollback parked at its timeout releases its row locks
     *     (false: they stay until an operator acts)
     * @param committingRetryPeriodMs first retry delay of a failed commit round (then backoff)
     * @param asyncCommittingRetryPeriodMs first retry delay of an AsyncCommitting (AT) round
     * @param rollbackingRetryPeriodMs first retry delay of a failed rollback round
     * @param timeoutRetryPeriodMs how often the leader looks for Begin transactions past their deadline
     * @param retryDeadThresholdMs a transaction whose phase two is still not done this long after it began
     *     gets one warning line
     * @param undoLogSaveDays saveDays of the UndoLogDeleteRequest sent to AT resource managers
     * @param undoLogDeletePeriodMs how often the leader sends it (first 3 minutes after it starts leading)
     */
    public record Recovery(long maxCommitRetryTimeoutMs, long maxRollbackRetryTimeoutMs,
            boolean rollbackRetryTimeoutUnlockEnable, long committingRetryPeriodMs, long asyncCommittingRetryPeriodMs,
            long rollbackingRetryPeriodMs, long timeoutRetryPeriodMs, long retryDeadThresholdMs, int undoLogSaveDays,
            long undoLogDeletePeriodMs) {

        public Recovery {
            if (maxCommitRetryTimeoutMs < -1 || maxRollbackRetryTimeoutMs < -1) {
                throw new IllegalArgumentException("max retry timeouts are -1 (forever) or >= 0");
            }
            if (committingRetryPeriodMs <= 0 || asyncCommittingRetryPeriodMs <= 0 || rollbackingRetryPeriodMs <= 0
                    || timeoutRetryPeriodMs <= 0 || retryDeadThresholdMs <= 0 || undoLogDeletePeriodMs <= 0) {
                throw new IllegalArgumentException("periods and thresholds must be positive");
            }
            if (undoLogSaveDays <= 0 || undoLogSaveDays > Short.MAX_VALUE) {
                throw new IllegalArgumentException("undoLogSaveDays must be 1.." + Short.MAX_VALUE);
            }
        }

        /** Seata 2.5's defaults. */
        public static Recovery defaults() {
            return new Recovery(-1, -1, false, 1_000, 1_000, 1_000, 1_000, 70_000, 7, 24 * 60 * 60 * 1_000L);
        }
    }

    /** For tests and tools: the loader's defaults, with the fields a caller names changed. */
    public static final class Builder {
        private final String nodeId;
        private final Path dataDir;
        private final List<MemberSpec> members;
        private Security security;
        private String bindHost = "127.0.0.1";
        private String raftGroup = "default";
        private int electionTimeoutMs = 1_000;
        private int deadLeaderElectionTimeoutMs = 150;
        private int snapshotIntervalSeconds = 3_600;
        private int requestTimeoutMs = 5_000;
        private int rmRequestTimeoutMs = 15_000;
        private int readerIdleSeconds = 15;
        private int executorThreads = 4;
        private int maxFrameLength = 8 * 1024 * 1024;
        // TransactionServer.DEFAULT_MAX_INFLIGHT_REQUESTS (NodeConfigLoaderTest keeps the two equal; config
        // does not depend on the transport).
        private int maxInflightRequests = 1_000;
        private TransactionLimits transactionLimits = TransactionLimits.defaults();
        private ControlLimits controlLimits = ControlLimits.defaults();
        private Lifecycle lifecycle = Lifecycle.defaults();
        private Recovery recovery = Recovery.defaults();
        private RegistryConfig registry = RegistryConfig.none();
        private Monitoring monitoring = Monitoring.defaults();

        private Builder(String nodeId, Path dataDir, List<MemberSpec> members, Security security) {
            this.nodeId = nodeId;
            this.dataDir = dataDir;
            this.members = members;
            this.security = security;
        }

        public Builder bindHost(String v) {
            bindHost = v;
            return this;
        }

        public Builder raftGroup(String v) {
            raftGroup = v;
            return this;
        }

        public Builder electionTimeoutMs(int v) {
            electionTimeoutMs = v;
            return this;
        }

        public Builder deadLeaderElectionTimeoutMs(int v) {
            deadLeaderElectionTimeoutMs = v;
            return this;
        }

        public Builder snapshotIntervalSeconds(int v) {
            snapshotIntervalSeconds = v;
            return this;
        }

        public Builder requestTimeoutMs(int v) {
            requestTimeoutMs = v;
            return this;
        }

        public Builder rmRequestTimeoutMs(int v) {
            rmRequestTimeoutMs = v;
            return this;
        }

        public Builder readerIdleSeconds(int v) {
            readerIdleSeconds = v;
            return this;
        }

        public Builder executorThreads(int v) {
            executorThreads = v;
            return this;
        }

        public Builder maxFrameLength(int v) {
            maxFrameLength = v;
            return this;
        }

        public Builder maxInflightRequests(int v) {
            maxInflightRequests = v;
            return this;
        }

        public Builder security(Security v) {
            security = v;
            return this;
        }

        /** Client authentication on, with this keys file; the rest of the security settings unchanged. */
        public Builder clientAuthKeysFile(Path v) {
            security = new Security(security.registry(), security.admin(), security.memberTls(), Optional.of(v));
            return this;
        }

        public Builder transactionLimits(TransactionLimits v) {
            transactionLimits = v;
            return this;
        }

        public Builder controlLimits(ControlLimits v) {
            controlLimits = v;
            return this;
        }

        public Builder lifecycle(Lifecycle v) {
            lifecycle = v;
            return this;
        }

        public Builder recovery(Recovery v) {
            recovery = v;
            return this;
        }

        /** Self-registration into the registries Seata clients use (docs/operations.md, "Registries"). */
        public Builder registry(RegistryConfig v) {
            registry = v;
            return this;
        }

        public Builder monitoring(Monitoring v) {
            monitoring = v;
            return this;
        }

        public NodeConfig build() {
            return new NodeConfig(nodeId, bindHost, dataDir, members, raftGroup, electionTimeoutMs,
                    deadLeaderElectionTimeoutMs, snapshotIntervalSeconds, requestTimeoutMs, rmRequestTimeoutMs,
                    readerIdleSeconds, executorThreads, maxFrameLength, maxInflightRequests, security,
                    transactionLimits, controlLimits, lifecycle, recovery, registry, monitoring);
        }
    }

    @Override
    public String toString() {
        return "NodeConfig[node=" + nodeId + ", members=" + members + ", group=" + raftGroup
                + ", dataDir=" + dataDir + ", bind=" + bindHost + ", requestTimeoutMs=" + requestTimeoutMs
                + ", " + security + "]";
    }
}
