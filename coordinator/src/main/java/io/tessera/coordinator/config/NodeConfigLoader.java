package io.tessera.coordinator.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a node's properties file and applies overrides. For a file key such as
 * {@code transaction.port} the effective value is, highest first: system property
 * {@code tessera.transaction.port}, environment variable {@code TESSERA_TRANSACTION_PORT}
 * (dots and dashes become underscores), the file, the default.
 */
public final class NodeConfigLoader {

    public static final String NODE_ID = "node.id";
    public static final String NODE_HOST = "node.host";
    public static final String BIND_HOST = "bind.host";
    public static final String CONTROL_PORT = "control.port";
    public static final String TRANSACTION_PORT = "transaction.port";
    public static final String RAFT_PORT = "raft.port";
    public static final String DATA_DIR = "data.dir";
    public static final String MEMBERS = "cluster.members";
    public static final String RAFT_GROUP = "raft.group";
    public static final String ELECTION_TIMEOUT = "raft.election-timeout-ms";
    public static final String DEAD_LEADER_ELECTION_TIMEOUT = "raft.dead-leader-election-timeout-ms";
    public static final String SNAPSHOT_INTERVAL = "raft.snapshot-interval-seconds";
    public static final String REQUEST_TIMEOUT = "request.timeout-ms";
    public static final String RM_REQUEST_TIMEOUT = "rm.request-timeout-ms";
    public static final String READER_IDLE = "transaction.reader-idle-seconds";
    public static final String EXECUTOR_THREADS = "transaction.executor-threads";
    public static final String MAX_FRAME_LENGTH = "transaction.max-frame-length";
    public static final String MAX_INFLIGHT_REQUESTS = "transaction.max-inflight-requests";
    public static final String REGISTRY_USERNAME = "registry.username";
    public static final String REGISTRY_PASSWORD = "registry.password";
    public static final String ADMIN_USERNAME = "admin.username";
    public static final String ADMIN_PASSWORD = "admin.password";
    public static final String RAFT_TLS_ENABLED = "raft.tls.enabled";
    public static final String RAFT_TLS_KEYSTORE = "raft.tls.keystore";
    public static final String RAFT_TLS_KEYSTORE_PASSWORD = "raft.tls.keystore-password";
    public static final String RAFT_TLS_KEYSTORE_PASSWORD_FILE = "raft.tls.keystore-password-file";
    public static final String CLIENT_AUTH_KEYS_FILE = "client-auth.keys-file";
    public static final String REGISTRATION_TIMEOUT = "transaction.registration-timeout-ms";
    public static final String MAX_CONNECTIONS = "transaction.max-connections";
    public static final String MAX_CONNECTIONS_PER_SOURCE = "transaction.max-connections-per-source";
    public static final String FRAME_TIMEOUT = "transaction.frame-timeout-ms";
    public static final String MAX_PENDING_FRAME_BYTES = "transaction.max-pending-frame-bytes";
    public static final String MAX_RESOURCE_IDS = "transaction.max-resource-ids";
    public static final String MAX_FIELD_LENGTH = "transaction.max-field-length";
    public static final String APPLICATION_DATA_LIMIT = "transaction.application-data-limit";
    public static final String CONTROL_MAX_CONNECTIONS = "control.max-connections";
    public static final String CONTROL_IDLE_TIMEOUT = "control.idle-timeout-ms";
    public static final String CONTROL_REQUEST_TIMEOUT = "control.request-timeout-ms";
    public static final String CLUSTER_JOIN = "cluster.join";
    public static final String SNAPSHOT_LOG_ENTRIES = "raft.snapshot-log-entries";
    public static final String DRAIN_TIMEOUT = "shutdown.drain-timeout-ms";
    public static final String MAX_COMMIT_RETRY_TIMEOUT = "transaction.max-commit-retry-timeout-ms";
    public static final String MAX_ROLLBACK_RETRY_TIMEOUT = "transaction.max-rollback-retry-timeout-ms";
    public static final String ROLLBACK_RETRY_TIMEOUT_UNLOCK = "transaction.rollback-retry-timeout-unlock-enable";
    public static final String COMMITTING_RETRY_PERIOD = "transaction.committing-retry-period-ms";
    public static final String ASYNC_COMMITTING_RETRY_PERIOD = "transaction.async-committing-retry-period-ms";
    public static final String ROLLBACKING_RETRY_PERIOD = "transaction.rollbacking-retry-period-ms";
    public static final String TIMEOUT_RETRY_PERIOD = "transaction.timeout-retry-period-ms";
    public static final String RETRY_DEAD_THRESHOLD = "transaction.retry-dead-threshold-ms";
    public static final String UNDO_LOG_SAVE_DAYS = "transaction.undo-log-save-days";
    public static final String UNDO_LOG_DELETE_PERIOD = "transaction.undo-log-delete-period-ms";

    /** Shortest password accepted for either role. */
    public static final int MIN_PASSWORD_LENGTH = 8;

    /** Every key the loader understands, with its default ({@code null} = none). */
    static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(NODE_ID, null);
        d.put(NODE_HOST, null);
        d.put(BIND_HOST, "0.0.0.0");
        d.put(CONTROL_PORT, null);
        d.put(TRANSACTION_PORT, null);
        d.put(RAFT_PORT, null);
        d.put(DATA_DIR, null);
        d.put(MEMBERS, null);
        d.put(RAFT_GROUP, "default");
        d.put(ELECTION_TIMEOUT, "1000");
        // Once a follower sees the leader's process gone (its raft port refuses connections); 0 = off.
        d.put(DEAD_LEADER_ELECTION_TIMEOUT, "150");
        d.put(SNAPSHOT_INTERVAL, "3600");
        d.put(REQUEST_TIMEOUT, "5000");
        d.put(RM_REQUEST_TIMEOUT, "15000");
        d.put(READER_IDLE, "15");
        d.put(EXECUTOR_THREADS, String.valueOf(Math.max(4, 2 * Runtime.getRuntime().availableProcessors())));
        // Seata's own limit (spec §2.2); a client never sends more.
        d.put(MAX_FRAME_LENGTH, String.valueOf(8 * 1024 * 1024));
        // TransactionServer.DEFAULT_MAX_INFLIGHT_REQUESTS (a test keeps the two equal); 0 = no bound.
        d.put(MAX_INFLIGHT_REQUESTS, "1000");
        // Required, no defaults: a node never starts with well-known credentials (scripts/cluster.sh
        // generates them at first start).
        d.put(REGISTRY_USERNAME, null);
        d.put(REGISTRY_PASSWORD, null);
        d.put(ADMIN_USERNAME, null);
        d.put(ADMIN_PASSWORD, null);
        d.put(RAFT_TLS_ENABLED, "true");
        // Defaults <data.dir>/tls/member.p12 and member.pass, where `tessera-admin tls` writes them.
        d.put(RAFT_TLS_KEYSTORE, null);
        d.put(RAFT_TLS_KEYSTORE_PASSWORD, null);
        d.put(RAFT_TLS_KEYSTORE_PASSWORD_FILE, null);
        d.put(CLIENT_AUTH_KEYS_FILE, null);
        NodeConfig.TransactionLimits tl = NodeConfig.TransactionLimits.defaults();
        d.put(REGISTRATION_TIMEOUT, String.valueOf(tl.registrationTimeoutMs()));
        d.put(MAX_CONNECTIONS, String.valueOf(tl.maxConnections()));
        d.put(MAX_CONNECTIONS_PER_SOURCE, String.valueOf(tl.maxConnectionsPerSource()));
        d.put(FRAME_TIMEOUT, String.valueOf(tl.frameTimeoutMs()));
        d.put(MAX_PENDING_FRAME_BYTES, String.valueOf(tl.maxPendingFrameBytes()));
        d.put(MAX_RESOURCE_IDS, String.valueOf(tl.maxResourceIds()));
        d.put(MAX_FIELD_LENGTH, String.valueOf(tl.maxFieldLength()));
        d.put(APPLICATION_DATA_LIMIT, String.valueOf(tl.applicationDataLimit()));
        NodeConfig.ControlLimits cl = NodeConfig.ControlLimits.defaults();
        d.put(CONTROL_MAX_CONNECTIONS, String.valueOf(cl.maxConnections()));
        d.put(CONTROL_IDLE_TIMEOUT, String.valueOf(cl.idleTimeoutMs()));
        d.put(CONTROL_REQUEST_TIMEOUT, String.valueOf(cl.requestTimeoutMs()));
        NodeConfig.Lifecycle lc = NodeConfig.Lifecycle.defaults();
        d.put(CLUSTER_JOIN, String.valueOf(lc.join()));
        d.put(SNAPSHOT_LOG_ENTRIES, String.valueOf(lc.snapshotLogEntries()));
        d.put(DRAIN_TIMEOUT, String.valueOf(lc.drainTimeoutMs()));
        // Seata 2.5's server defaults (docs/operations.md, "Phase two").
        NodeConfig.Recovery r = NodeConfig.Recovery.defaults();
        d.put(MAX_COMMIT_RETRY_TIMEOUT, String.valueOf(r.maxCommitRetryTimeoutMs()));
        d.put(MAX_ROLLBACK_RETRY_TIMEOUT, String.valueOf(r.maxRollbackRetryTimeoutMs()));
        d.put(ROLLBACK_RETRY_TIMEOUT_UNLOCK, String.valueOf(r.rollbackRetryTimeoutUnlockEnable()));
        d.put(COMMITTING_RETRY_PERIOD, String.valueOf(r.committingRetryPeriodMs()));
        d.put(ASYNC_COMMITTING_RETRY_PERIOD, String.valueOf(r.asyncCommittingRetryPeriodMs()));
        d.put(ROLLBACKING_RETRY_PERIOD, String.valueOf(r.rollbackingRetryPeriodMs()));
        d.put(TIMEOUT_RETRY_PERIOD, String.valueOf(r.timeoutRetryPeriodMs()));
        d.put(RETRY_DEAD_THRESHOLD, String.valueOf(r.retryDeadThresholdMs()));
        d.put(UNDO_LOG_SAVE_DAYS, String.valueOf(r.undoLogSaveDays()));
        d.put(UNDO_LOG_DELETE_PERIOD, String.valueOf(r.undoLogDeletePeriodMs()));
        return java.util.Collections.unmodifiableMap(d);
    }

    private final Map<String, String> systemProperties;
    private final Map<String, String> environment;

    public NodeConfigLoader(Map<String, String> systemProperties, Map<String, String> environment) {
        this.systemProperties = Map.copyOf(systemProperties);
        this.environment = Map.copyOf(environment);
    }

    public static NodeConfigLoader fromProcess() {
        Map<String, String> props = new HashMap<>();
        System.getProperties().forEach((k, v) -> props.put(String.valueOf(k), String.valueOf(v)));
        return new NodeConfigLoader(props, System.getenv());
    }

    public static String systemPropertyName(String key) {
        return "tessera." + key;
    }

    public static String environmentName(String key) {
        return "TESSERA_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** @param file may be null: then only overrides and defaults apply */
    public NodeConfig load(Path file) {
        Map<String, String> values = new TreeMap<>();
        if (file != null) {
            readFile(file).forEach(values::put);
        }
        for (String key : DEFAULTS.keySet()) {
            String env = environment.get(environmentName(key));
            if (env != null) {
                values.put(key, env);
            }
            String prop = systemProperties.get(systemPropertyName(key));
            if (prop != null) {
                values.put(key, prop);
            }
        }
        return build(new Values(values));
    }

    private static Map<String, String> readFile(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> out = new HashMap<>();
        for (String key : p.stringPropertyNames()) {
            if (!DEFAULTS.containsKey(key)) {
                throw new ConfigException("unknown config key '" + key + "' in " + file);
            }
            out.put(key, p.getProperty(key).trim());
        }
        return out;
    }

    private NodeConfig build(Values v) {
        String nodeId = v.required(NODE_ID);
        List<MemberSpec> members = members(v, nodeId);
        Path dataDir = Path.of(v.string(DATA_DIR) != null ? v.string(DATA_DIR) : "data/" + nodeId)
                .toAbsolutePath().normalize();
        NodeConfig config = new NodeConfig(
                nodeId,
                v.string(BIND_HOST),
                dataDir,
                members,
                v.string(RAFT_GROUP),
                v.positiveInt(ELECTION_TIMEOUT),
                v.nonNegativeInt(DEAD_LEADER_ELECTION_TIMEOUT, "off"),
                v.positiveInt(SNAPSHOT_INTERVAL),
                v.positiveInt(REQUEST_TIMEOUT),
                v.positiveInt(RM_REQUEST_TIMEOUT),
                v.positiveInt(READER_IDLE),
                v.positiveInt(EXECUTOR_THREADS),
                v.positiveInt(MAX_FRAME_LENGTH),
                v.nonNegativeInt(MAX_INFLIGHT_REQUESTS, "no bound"),
                security(v, dataDir),
                new NodeConfig.TransactionLimits(
                        v.positiveInt(REGISTRATION_TIMEOUT),
                        v.positiveInt(MAX_CONNECTIONS),
                        v.positiveInt(MAX_CONNECTIONS_PER_SOURCE),
                        v.positiveInt(FRAME_TIMEOUT),
                        v.positiveLong(MAX_PENDING_FRAME_BYTES),
                        v.positiveInt(MAX_RESOURCE_IDS),
                        v.positiveInt(MAX_FIELD_LENGTH),
                        v.positiveInt(APPLICATION_DATA_LIMIT)),
                new NodeConfig.ControlLimits(
                        v.positiveInt(CONTROL_MAX_CONNECTIONS),
                        v.positiveInt(CONTROL_IDLE_TIMEOUT),
                        v.positiveInt(CONTROL_REQUEST_TIMEOUT)),
                new NodeConfig.Lifecycle(
                        v.bool(CLUSTER_JOIN),
                        v.nonNegativeInt(SNAPSHOT_LOG_ENTRIES, "on the timer only"),
                        v.nonNegativeInt(DRAIN_TIMEOUT, "close at once")),
                new NodeConfig.Recovery(
                        v.retryTimeout(MAX_COMMIT_RETRY_TIMEOUT),
                        v.retryTimeout(MAX_ROLLBACK_RETRY_TIMEOUT),
                        v.bool(ROLLBACK_RETRY_TIMEOUT_UNLOCK),
                        v.positiveLong(COMMITTING_RETRY_PERIOD),
                        v.positiveLong(ASYNC_COMMITTING_RETRY_PERIOD),
                        v.positiveLong(ROLLBACKING_RETRY_PERIOD),
                        v.positiveLong(TIMEOUT_RETRY_PERIOD),
                        v.positiveLong(RETRY_DEAD_THRESHOLD),
                        v.saveDays(UNDO_LOG_SAVE_DAYS),
                        v.positiveLong(UNDO_LOG_DELETE_PERIOD)));
        if (config.raftGroup().isBlank()) {
            throw new ConfigException(RAFT_GROUP + " must not be blank");
        }
        if (config.maxFrameLength() < 16) {
            throw new ConfigException(MAX_FRAME_LENGTH + " must be at least 16 (one frame header)");
        }
        DataDirs.ensureWritable(config.dataDir());
        return config;
    }

    private static NodeConfig.Security security(Values v, Path dataDir) {
        NodeConfig.Credentials registry = credentials(v, REGISTRY_USERNAME, REGISTRY_PASSWORD,
                "the client role: what Seata clients log in with");
        NodeConfig.Credentials admin = credentials(v, ADMIN_USERNAME, ADMIN_PASSWORD,
                "the operator role: backup, console and every mutating endpoint");
        if (registry.username().equals(admin.username())) {
            throw new ConfigException(REGISTRY_USERNAME + " and " + ADMIN_USERNAME
                    + " must differ (a login is for one role)");
        }
        Optional<NodeConfig.MemberTlsFiles> tls = Optional.empty();
        if (v.bool(RAFT_TLS_ENABLED)) {
            Path tlsDir = dataDir.resolve("tls");
            Path keystore = v.path(RAFT_TLS_KEYSTORE, tlsDir.resolve("member.p12"));
            if (!Files.isReadable(keystore)) {
                throw new ConfigException(RAFT_TLS_ENABLED + "=true but the member keystore " + keystore
                        + " is missing or unreadable: create it with `tessera-admin tls init` (scripts/cluster.sh"
                        + " does at first start), or set " + RAFT_TLS_ENABLED + "=false to run the raft port"
                        + " without authentication");
            }
            String password = v.string(RAFT_TLS_KEYSTORE_PASSWORD);
            if (password == null) {
                Path file = v.path(RAFT_TLS_KEYSTORE_PASSWORD_FILE, tlsDir.resolve("member.pass"));
                try {
                    password = Files.readString(file).strip();
                } catch (IOException e) {
                    throw new ConfigException("cannot read " + RAFT_TLS_KEYSTORE_PASSWORD_FILE + " " + file + ": "
                            + e.getMessage() + " (or set " + RAFT_TLS_KEYSTORE_PASSWORD + ")", e);
                }
            }
            tls = Optional.of(new NodeConfig.MemberTlsFiles(keystore, password));
        }
        Optional<Path> clientKeys = Optional.ofNullable(v.string(CLIENT_AUTH_KEYS_FILE)).filter(s -> !s.isBlank())
                .map(s -> Path.of(s).toAbsolutePath().normalize());
        if (clientKeys.isPresent() && !Files.isReadable(clientKeys.get())) {
            throw new ConfigException(CLIENT_AUTH_KEYS_FILE + " " + clientKeys.get() + " is missing or unreadable");
        }
        return new NodeConfig.Security(registry, admin, tls, clientKeys);
    }

    /** Both or neither is a mistake worth one clear line: a half-set pair would silently change who gets in. */
    private static NodeConfig.Credentials credentials(Values v, String userKey, String passwordKey, String role) {
        String user = v.string(userKey);
        String password = v.string(passwordKey);
        boolean hasUser = user != null && !user.isBlank();
        boolean hasPassword = password != null && !password.isEmpty();
        if (hasUser && !hasPassword) {
            throw new ConfigException(userKey + " is set but " + passwordKey + " is not (" + role + ")");
        }
        if (!hasUser && hasPassword) {
            throw new ConfigException(passwordKey + " is set but " + userKey + " is not (" + role + ")");
        }
        if (!hasUser) {
            throw new ConfigException(userKey + " and " + passwordKey + " are required (" + role + "; or "
                    + environmentName(userKey) + " / " + environmentName(passwordKey)
                    + "); scripts/cluster.sh generates them at first start");
        }
        if (password.length() < MIN_PASSWORD_LENGTH) {
            throw new ConfigException(passwordKey + " must have at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        if (password.equals(user.trim())) {
            throw new ConfigException(passwordKey + " must not equal " + userKey);
        }
        return new NodeConfig.Credentials(user.trim(), password);
    }

    /**
     * The member list is the source of truth for every node's endpoints. Without one the node forms
     * a single-member cluster from its own keys (defaults 7091/8091/9091). Own port keys, when given,
     * must agree with the node's entry, so a node never listens somewhere its peers don't expect.
     */
    private static List<MemberSpec> members(Values v, String nodeId) {
        String list = v.string(MEMBERS);
        List<MemberSpec> members = new ArrayList<>();
        if (list == null || list.isBlank()) {
            String host = v.string(NODE_HOST) != null ? v.string(NODE_HOST) : "127.0.0.1";
            members.add(new MemberSpec(nodeId, host, v.port(CONTROL_PORT, 7091),
                    v.port(TRANSACTION_PORT, 8091), v.port(RAFT_PORT, 9091)));
        } else {
            for (String item : list.split(",")) {
                if (!item.isBlank()) {
                    members.add(MemberSpec.parse(item));
                }
            }
        }
        MemberSpec self = members.stream().filter(m -> m.id().equals(nodeId)).findFirst()
                .orElseThrow(() -> new ConfigException("node.id '" + nodeId + "' is not in cluster.members ("
                        + String.join(", ", members.stream().map(MemberSpec::id).toList()) + ")"));
        agree(v, NODE_HOST, self.host(), self);
        agree(v, CONTROL_PORT, String.valueOf(self.controlPort()), self);
        agree(v, TRANSACTION_PORT, String.valueOf(self.transactionPort()), self);
        agree(v, RAFT_PORT, String.valueOf(self.raftPort()), self);
        checkUnique(members);
        return members;
    }

    private static void agree(Values v, String key, String expected, MemberSpec self) {
        String given = v.string(key);
        if (given != null && !given.equals(expected)) {
            throw new ConfigException(key + "=" + given + " disagrees with cluster.members entry " + self);
        }
    }

    private static void checkUnique(List<MemberSpec> members) {
        Set<String> ids = new java.util.HashSet<>();
        Map<String, String> used = new HashMap<>();
        for (MemberSpec m : members) {
            if (!ids.add(m.id())) {
                throw new ConfigException("cluster.members: duplicate member id '" + m.id() + "'");
            }
            claim(used, m.host(), m.controlPort(), m.id() + " control");
            claim(used, m.host(), m.transactionPort(), m.id() + " transaction");
            claim(used, m.host(), m.raftPort(), m.id() + " raft");
        }
    }

    private static void claim(Map<String, String> used, String host, int port, String owner) {
        String previous = used.putIfAbsent(host + ":" + port, owner);
        if (previous != null) {
            throw new ConfigException("duplicate port " + host + ":" + port + " (" + previous + " and " + owner + ")");
        }
    }

    private record Values(Map<String, String> map) {
        String string(String key) {
            String value = map.get(key);
            return value != null ? value : DEFAULTS.get(key);
        }

        String required(String key) {
            String value = string(key);
            if (value == null || value.isBlank()) {
                throw new ConfigException(key + " is required (or " + systemPropertyName(key) + " / "
                        + environmentName(key) + ")");
            }
            return value.trim();
        }

        int positiveInt(String key) {
            String value = string(key);
            try {
                int n = Integer.parseInt(value.trim());
                if (n <= 0) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new ConfigException(key + "='" + value + "' is not a positive integer");
            }
        }

        /** For settings where 0 has a meaning of its own, named by {@code zero} in the error. */
        int nonNegativeInt(String key, String zero) {
            String value = string(key);
            try {
                int n = Integer.parseInt(value.trim());
                if (n < 0) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new ConfigException(key + "='" + value + "' is not a non-negative integer (0 = " + zero + ")");
            }
        }

        long positiveLong(String key) {
            String value = string(key);
            try {
                long n = Long.parseLong(value.trim());
                if (n <= 0) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new ConfigException(key + "='" + value + "' is not a positive integer");
            }
        }

        /** Milliseconds, or -1 for "retry forever" (Seata accepts any negative; we ask for exactly -1). */
        long retryTimeout(String key) {
            String value = string(key);
            try {
                long n = Long.parseLong(value.trim());
                if (n < -1) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new ConfigException(key + "='" + value + "' is not a number of milliseconds >= 0, or -1 (retry forever)");
            }
        }

        int saveDays(String key) {
            String value = string(key);
            try {
                int n = Integer.parseInt(value.trim());
                if (n <= 0 || n > Short.MAX_VALUE) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new ConfigException(key + "='" + value + "' is not a number of days (1-" + Short.MAX_VALUE + ")");
            }
        }

        boolean bool(String key) {
            String value = string(key).trim();
            if (value.equalsIgnoreCase("true")) {
                return true;
            }
            if (value.equalsIgnoreCase("false")) {
                return false;
            }
            throw new ConfigException(key + "='" + value + "' is not true or false");
        }

        Path path(String key, Path fallback) {
            String value = string(key);
            return value == null || value.isBlank() ? fallback : Path.of(value.trim()).toAbsolutePath().normalize();
        }

        int port(String key, int fallback) {
            String value = string(key);
            if (value == null) {
                return fallback;
            }
            try {
                int p = Integer.parseInt(value.trim());
                if (p < 1 || p > 65535) {
                    throw new NumberFormatException();
                }
                return p;
            } catch (NumberFormatException e) {
                throw new ConfigException(key + "='" + value + "' is not a port (1-65535)");
            }
        }
    }
}
