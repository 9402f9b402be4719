package io.tessera.coordinator.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Where the node registers its transaction endpoint so that Seata clients configured for that registry
 * find it (docs/operations.md, "Registries"). The key names are Seata's own ({@code registry.conf} /
 * {@code file.conf} of a Seata server), so a Seata server's registry block carries over unchanged.
 *
 * @param types the registries to register in ({@code registry.type}, a comma list as on a Seata server);
 *     empty: none (the file and raft registries need no registration)
 * @param settings every {@code registry.<type>.*} value, defaults included
 */
public record RegistryConfig(List<String> types, Map<String, String> settings) {

    public static final String TYPE = "registry.type";
    public static final String ZK = "zk";
    public static final String REDIS = "redis";
    public static final String ETCD3 = "etcd3";
    public static final String EUREKA = "eureka";

    /** Types that need no registration: the client is given addresses (file) or asks the nodes (raft). */
    private static final Set<String> NOTHING_TO_REGISTER = Set.of("none", "file", "raft");
    /** Seata types Tessera cannot register in yet, with the reason the operator reads at startup. */
    private static final Map<String, String> UNSUPPORTED = Map.of(
            "nacos", "not implemented: no Nacos server could be run in this project's tests",
            "seata", "not implemented: Seata's NamingServer is not published, so it could not be tested",
            "consul", "not implemented: no Consul server could be run in this project's tests");

    /** Every key with its default; {@code null} = none. Defaults are those of Seata's registry implementations. */
    static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(TYPE, "none");
        d.put("registry.zk.serverAddr", "127.0.0.1:2181");
        d.put("registry.zk.cluster", "default");
        d.put("registry.zk.sessionTimeout", "6000");
        d.put("registry.zk.connectTimeout", "2000");
        d.put("registry.zk.username", null);
        d.put("registry.zk.password", null);
        d.put("registry.redis.serverAddr", "localhost:6379");
        d.put("registry.redis.db", "0");
        d.put("registry.redis.password", null);
        d.put("registry.redis.cluster", "default");
        d.put("registry.etcd3.serverAddr", "http://localhost:2379");
        d.put("registry.etcd3.cluster", "default");
        // Tessera's own key: Seata's server grants 10 s and keeps it alive; shorter means a dead node leaves sooner.
        d.put("registry.etcd3.lease-ttl-seconds", "10");
        // Seata's keys and defaults (EurekaRegistryServiceImpl); serviceUrl may carry user:password@.
        d.put("registry.eureka.serviceUrl", "http://localhost:8761/eureka");
        d.put("registry.eureka.application", "default");
        d.put("registry.eureka.weight", "1");
        // Tessera's own keys: eureka-client's lease defaults, which a Seata server uses; shorter renewal and
        // expiry mean a dead node leaves sooner.
        d.put("registry.eureka.lease-renewal-interval-seconds", "30");
        d.put("registry.eureka.lease-expiration-duration-seconds", "90");
        return Collections.unmodifiableMap(d);
    }

    private static final Set<String> NUMBERS = Set.of("registry.zk.sessionTimeout", "registry.zk.connectTimeout",
            "registry.redis.db", "registry.etcd3.lease-ttl-seconds", "registry.eureka.lease-renewal-interval-seconds",
            "registry.eureka.lease-expiration-duration-seconds");

    public RegistryConfig {
        types = List.copyOf(types);
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /** No registration (the default). */
    public static RegistryConfig none() {
        return of(Map.of());
    }

    /** For tests and tools: {@code values} (with {@link #TYPE}) over the defaults, validated like the file. */
    public static RegistryConfig of(Map<String, String> values) {
        for (String key : values.keySet()) {
            if (!DEFAULTS.containsKey(key)) {
                throw new ConfigException("unknown registry key '" + key + "'");
            }
        }
        return from(key -> values.containsKey(key) ? values.get(key) : DEFAULTS.get(key));
    }

    /** @param lookup the effective value of a key (its default when unset) */
    static RegistryConfig from(Function<String, String> lookup) {
        List<String> types = new ArrayList<>();
        for (String item : String.valueOf(lookup.apply(TYPE)).split(",")) {
            String type = item.trim().toLowerCase(Locale.ROOT);
            if (type.isEmpty() || NOTHING_TO_REGISTER.contains(type)) {
                continue;
            }
            if (UNSUPPORTED.containsKey(type)) {
                throw new ConfigException(TYPE + "=" + type + ": " + UNSUPPORTED.get(type)
                        + " (docs/operations.md, \"Registries\"); supported: zk, redis, etcd3, eureka");
            }
            if (!type.equals(ZK) && !type.equals(REDIS) && !type.equals(ETCD3) && !type.equals(EUREKA)) {
                throw new ConfigException(TYPE + "='" + type
                        + "' is not one of none, file, raft, zk, redis, etcd3, eureka");
            }
            if (!types.contains(type)) {
                types.add(type);
            }
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (String key : DEFAULTS.keySet()) {
            String value = lookup.apply(key);
            if (value != null) {
                value = value.trim();
            }
            if (NUMBERS.contains(key)) {
                try {
                    if (Integer.parseInt(value) < (key.endsWith(".db") ? 0 : 1)) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException e) {
                    throw new ConfigException(key + "='" + value + "' is not a "
                            + (key.endsWith(".db") ? "non-negative" : "positive") + " integer");
                }
            }
            settings.put(key, value);
        }
        return new RegistryConfig(types, settings);
    }

    /** The value of {@code key} ({@code registry.<type>.<name>}), null when unset and without default. */
    public String get(String key) {
        if (!DEFAULTS.containsKey(key)) {
            throw new IllegalArgumentException("unknown registry key " + key);
        }
        String value = settings.get(key);
        return value == null || value.isEmpty() ? null : value;
    }

    public int intValue(String key) {
        return Integer.parseInt(get(key));
    }

    @Override
    public String toString() {
        return "RegistryConfig[" + (types.isEmpty() ? "none" : String.join(",", types)) + "]";
    }
}
