package io.tessera.coordinator;

import io.tessera.coordinator.config.ConfigException;
import io.tessera.coordinator.config.NodeConfig;
import io.tessera.coordinator.config.NodeConfigLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar tessera-coordinator-server.jar [node.properties]} (or {@code -Dtessera.config=} /
 * {@code TESSERA_CONFIG}). Exit status 2 with one line on stderr for any configuration or start-up
 * problem; SIGTERM stops the node gracefully (a leader hands leadership over first, requests in flight are
 * answered, then the ports close).
 */
public final class TesseraNode {
    private TesseraNode() {
    }

    public static void main(String[] args) {
        NodeConfig config;
        try {
            config = NodeConfigLoader.fromProcess().load(configFile(args));
        } catch (ConfigException e) {
            fail(e);
            return;
        }
        // bolt (jraft's RPC) logs through sofa-common-tools, whose logback adapter predates logback 1.5
        // and fails with NoSuchMethodError; jraft itself logs through slf4j, which is all we need.
        System.setProperty("sofa.middleware.log.disable", System.getProperty("sofa.middleware.log.disable", "true"));
        // Before the first logger: logback.xml reads these to place node.log in the data directory.
        System.setProperty("tessera.log.dir", config.logDir().toString());
        System.setProperty("tessera.log.node", config.nodeId());
        Logger log = LoggerFactory.getLogger(TesseraNode.class);
        if ("OFF".equalsIgnoreCase(System.getProperty("tessera.log.console.level"))) {
            // Only without the console appender: logback's console appender writes to System.out, which
            // must then not lead back into the log.
            StdStreams.redirectToLog();
        }
        log.info("starting with {}", config);

        PidFile pidFile = new PidFile(config.pidFile());
        CoordinatorNode runtime = new CoordinatorNode(config);
        try {
            pidFile.acquire();
            runtime.start();
        } catch (IOException | RuntimeException e) {
            String reason = e instanceof ConfigException ? e.getMessage() : e.toString();
            log.error("start-up failed: {}", reason, e instanceof ConfigException ? null : e);
            // Whatever the clean-up does, the process must exit: a half-started node that lingers
            // would hold its ports and data directory.
            try {
                runtime.close();
            } catch (RuntimeException closeFailure) {
                log.warn("clean-up after the failed start failed: {}", closeFailure.toString());
            }
            pidFile.close();
            fail(e instanceof ConfigException ce ? ce : new ConfigException(reason));
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutdown requested");
            try {
                runtime.stopGracefully();
            } catch (RuntimeException e) {
                log.warn("shutdown did not complete cleanly: {}", e.toString());
            } finally {
                pidFile.close();
                stopped.countDown();
            }
        }, "shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Path configFile(String[] args) {
        if (args.length > 0) {
            return Path.of(args[0]);
        }
        String fromProperty = System.getProperty("tessera.config");
        String value = fromProperty != null ? fromProperty : System.getenv("TESSERA_CONFIG");
        return value == null || value.isBlank() ? null : Path.of(value);
    }

    private static void fail(ConfigException e) {
        // The process's own stderr (System.err may be redirected into the log by now): the operator's one line.
        new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true,
                java.nio.charset.StandardCharsets.UTF_8).println("tessera: " + e.getMessage());
        System.exit(2);
    }
}
