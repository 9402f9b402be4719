package io.tessera.coordinator.registry;

import io.tessera.coordinator.config.ConfigException;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/** Small helpers shared by the registrars. */
final class Endpoints {
    private Endpoints() {
    }

    /** {@code host:port} split on the last colon (brackets of an IPv6 literal removed), as Seata parses it. */
    static InetSocketAddress hostPort(String key, String value) {
        int colon = value == null ? -1 : value.lastIndexOf(':');
        if (colon <= 0) {
            throw new ConfigException(key + "='" + value + "' is not host:port");
        }
        String host = value.substring(0, colon).replace("[", "").replace("]", "");
        try {
            return InetSocketAddress.createUnresolved(host, Integer.parseInt(value.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + "='" + value + "' is not host:port");
        }
    }

    /** One daemon thread: a registrar never keeps the JVM alive and never competes with itself. */
    static ScheduledExecutorService thread(String name) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }
}
