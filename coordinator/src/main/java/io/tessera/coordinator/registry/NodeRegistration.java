package io.tessera.coordinator.registry;

import io.tessera.coordinator.config.RegistryConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The node's registrations: one {@link Registrar} per configured registry type, all for the node's
 * transaction endpoint ({@code host:transactionPort} of its {@code cluster.members} entry, the address
 * its XIDs start with), as Seata's server registers {@code XID ip:port}.
 */
public final class NodeRegistration implements AutoCloseable {
    private final List<Registrar> registrars;
    private boolean closed;

    public NodeRegistration(List<Registrar> registrars) {
        this.registrars = List.copyOf(registrars);
    }

    /** @param advertisedAddress {@code host:port} of the transaction port, as clients connect to it */
    public static NodeRegistration of(RegistryConfig config, String advertisedAddress) {
        List<Registrar> list = new ArrayList<>();
        for (String type : config.types()) {
            list.add(switch (type) {
                case RegistryConfig.ZK -> new ZookeeperRegistrar(config, advertisedAddress);
                case RegistryConfig.REDIS -> new RedisRegistrar(config, advertisedAddress);
                case RegistryConfig.ETCD3 -> new Etcd3Registrar(config, advertisedAddress);
                case RegistryConfig.EUREKA -> new EurekaRegistrar(config, advertisedAddress);
                default -> throw new IllegalArgumentException("registry type " + type);
            });
        }
        return new NodeRegistration(list);
    }

    public List<Registrar> registrars() {
        return registrars;
    }

    /** Returns at once; each registrar registers (and retries) on its own thread. */
    public synchronized void start() {
        if (!closed) {
            registrars.forEach(Registrar::start);
        }
    }

    /** Leaves every registry (bounded: a few seconds per unreachable registry). Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        registrars.forEach(Registrar::close);
    }
}
