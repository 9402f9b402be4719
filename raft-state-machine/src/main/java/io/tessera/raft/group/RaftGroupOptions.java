package io.tessera.raft.group;

import com.alipay.sofa.jraft.entity.PeerId;
import io.tessera.raft.tls.MemberTls;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Configuration of one {@link RaftGroup} member. Layout under {@link #dataDir()}: {@code raft/log},
 * {@code raft/meta}, {@code raft/snapshot} belong to jraft; {@link #stateDir()} is the place suggested for
 * the ApplyTarget's own store (the group never touches it).
 */
public final class RaftGroupOptions {
    private final String groupId;
    private final Path dataDir;
    private final String selfEndpoint;
    private final List<String> peers;
    private final int electionTimeoutMs;
    private final int deadLeaderElectionTimeoutMs;
    private final int snapshotIntervalSecs;
    private final long snapshotLogEntries;
    private final boolean join;
    private final boolean enableMetrics;
    private final long requestTimeoutMs;
    private final boolean sync;
    private final int maxApplyBatch;
    private final String bindHost;
    private final MemberTls tls;

    private RaftGroupOptions(Builder b) {
        this.groupId = Objects.requireNonNull(b.groupId, "groupId");
        this.dataDir = Objects.requireNonNull(b.dataDir, "dataDir");
        this.selfEndpoint = Objects.requireNonNull(b.selfEndpoint, "selfEndpoint");
        this.peers = List.copyOf(Objects.requireNonNull(b.peers, "peers"));
        if (!b.join && !peers.contains(selfEndpoint)) {
            throw new IllegalArgumentException("peers " + peers + " must contain self " + selfEndpoint);
        }
        if (b.electionTimeoutMs <= 0 || b.requestTimeoutMs <= 0 || b.maxApplyBatch <= 0) {
            throw new IllegalArgumentException("timeouts and batch size must be positive");
        }
        if (b.deadLeaderElectionTimeoutMs < 0) {
            throw new IllegalArgumentException("deadLeaderElectionTimeoutMs must be >= 0");
        }
        this.electionTimeoutMs = b.electionTimeoutMs;
        this.deadLeaderElectionTimeoutMs = b.deadLeaderElectionTimeoutMs;
        this.snapshotIntervalSecs = b.snapshotIntervalSecs;
        this.snapshotLogEntries = b.snapshotLogEntries;
        this.join = b.join;
        this.enableMetrics = b.enableMetrics;
        this.requestTimeoutMs = b.requestTimeoutMs;
        this.sync = b.sync;
        this.maxApplyBatch = b.maxApplyBatch;
        this.bindHost = b.bindHost;
        this.tls = b.tls;
    }

    private static String hostOf(String endpoint) {
        PeerId p = PeerId.parsePeer(endpoint);
        if (p == null || p.isEmpty()) {
            throw new IllegalArgumentException("bad endpoint " + endpoint + ", expected host:port");
        }
        return p.getIp();
    }

    public static Builder builder() {
        return new Builder();
    }

    public String groupId() {
        return groupId;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path raftLogDir() {
        return dataDir.resolve("raft").resolve("log");
    }

    public Path raftMetaDir() {
        return dataDir.resolve("raft").resolve("meta");
    }

    public Path raftSnapshotDir() {
        return dataDir.resolve("raft").resolve("snapshot");
    }

    /** Where the caller should keep the ApplyTarget's store: inside dataDir, outside jraft's directories. */
    public Path stateDir() {
        return dataDir.resolve("state");
    }

    public String selfEndpoint() {
        return selfEndpoint;
    }

    /**
     * The bootstrap configuration: used only while this member has no Raft state of its own (no log, no
     * snapshot). From then on the replicated configuration rules and this list is not read again.
     */
    public List<String> peers() {
        return peers;
    }

    /**
     * True: this member joins a running group. It starts with an empty configuration (never campaigns,
     * never bootstraps a group of its own) and waits until the leader adds it as a learner. Ignored once
     * the member has Raft state.
     */
    /** jraft's own metrics registry on (NodeOptions.enableMetrics): a small cost on every append and apply. */
    public boolean enableMetrics() {
        return enableMetrics;
    }

    public boolean join() {
        return join;
    }

    public int electionTimeoutMs() {
        return electionTimeoutMs;
    }

    /**
     * Election timeout used once a follower has seen the leader's process die (its raft port refuses
     * connections), until a leader is known again; 0 (or not below {@link #electionTimeoutMs()}) turns
     * the detection off. See LeaderLossDetector.
     */
    public int deadLeaderElectionTimeoutMs() {
        return deadLeaderElectionTimeoutMs;
    }

    /** 0 or less disables periodic snapshots (snapshotNow() still works). */
    public int snapshotIntervalSecs() {
        return snapshotIntervalSecs;
    }

    /** Snapshot once this many entries were applied since the last snapshot; 0 or less: only on time. */
    public long snapshotLogEntries() {
        return snapshotLogEntries;
    }

    public long requestTimeoutMs() {
        return requestTimeoutMs;
    }

    public boolean sync() {
        return sync;
    }

    /** Upper bound on entries handed to one ApplyTarget.applyBatch call. */
    public int maxApplyBatch() {
        return maxApplyBatch;
    }

    /**
     * The address the raft port listens on. Default: the host of {@link #selfEndpoint()}, so the port is
     * reachable exactly where peers are told to reach it and nowhere else; "0.0.0.0" listens on every
     * interface (needed when the advertised address is not a local one, e.g. behind NAT).
     */
    public String bindHost() {
        return bindHost != null ? bindHost : hostOf(selfEndpoint);
    }

    /** The member's TLS identity and trust; null: the raft port speaks plain TCP (tests, explicit opt-out). */
    public MemberTls tls() {
        return tls;
    }

    public static final class Builder {
        private String groupId = "default";
        private Path dataDir;
        private String selfEndpoint;
        private List<String> peers;
        private int electionTimeoutMs = 1000;
        private int deadLeaderElectionTimeoutMs = 150;
        private int snapshotIntervalSecs = 3600;
        private long snapshotLogEntries;
        private boolean join;
        private boolean enableMetrics;
        private long requestTimeoutMs = 5000;
        private boolean sync = true;
        private int maxApplyBatch = 512;
        private String bindHost;
        private MemberTls tls;

        private Builder() {
        }

        public Builder groupId(String v) {
            groupId = v;
            return this;
        }

        public Builder dataDir(Path v) {
            dataDir = v;
            return this;
        }

        /** "host:port" this node announces to its peers; its raft port listens on {@link #bindHost(String)}. */
        public Builder selfEndpoint(String v) {
            selfEndpoint = v;
            return this;
        }

        /** Bootstrap configuration, "host:port" each, including self (see {@link RaftGroupOptions#peers()}). */
        public Builder peers(List<String> v) {
            peers = v;
            return this;
        }

        /** See {@link RaftGroupOptions#enableMetrics()}. */
        public Builder enableMetrics(boolean v) {
            enableMetrics = v;
            return this;
        }

        /** See {@link RaftGroupOptions#join()}. */
        public Builder join(boolean v) {
            join = v;
            return this;
        }

        /** See {@link RaftGroupOptions#snapshotLogEntries()}. */
        public Builder snapshotLogEntries(long v) {
            snapshotLogEntries = v;
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

        public Builder snapshotIntervalSecs(int v) {
            snapshotIntervalSecs = v;
            return this;
        }

        public Builder requestTimeoutMs(long v) {
            requestTimeoutMs = v;
            return this;
        }

        public Builder sync(boolean v) {
            sync = v;
            return this;
        }

        public Builder maxApplyBatch(int v) {
            maxApplyBatch = v;
            return this;
        }

        /** See {@link RaftGroupOptions#bindHost()}; null: the self endpoint's host. */
        public Builder bindHost(String v) {
            bindHost = v;
            return this;
        }

        /** Mutual TLS between members on the raft port; null (the default) keeps it plain TCP. */
        public Builder tls(MemberTls v) {
            tls = v;
            return this;
        }

        public RaftGroupOptions build() {
            return new RaftGroupOptions(this);
        }
    }
}
