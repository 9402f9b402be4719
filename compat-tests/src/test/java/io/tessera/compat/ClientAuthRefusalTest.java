package io.tessera.compat;

import static io.tessera.compat.SeataClient.APP;
import static io.tessera.compat.SeataClient.GROUP;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.seata.core.rpc.netty.TmNettyRemotingClient;
import org.apache.seata.tm.TMClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Client authentication against the unmodified seata-all TM: configured with a wrong secret key, an
 * unknown access key or none, its registration is refused, and the client fails to start saying that
 * its registration failed. Each case starts the process-wide TM client afresh and destroys it.
 */
@Timeout(120)
class ClientAuthRefusalTest {
    static final String ACCESS_KEY = "compat-ak";
    static final String SECRET_KEY = "compat-secret-key-0123456789";

    @TempDir
    static Path dir;
    private static TesseraCluster cluster;

    private final Logger seataLog = (Logger) LoggerFactory.getLogger("org.apache.seata");
    private final Logger nodeLog = (Logger) LoggerFactory.getLogger("io.tessera");
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();

    @BeforeAll
    static void start() throws Exception {
        Path keys = dir.resolve("client-keys");
        Files.writeString(keys, ACCESS_KEY + " = " + APP + ":" + SECRET_KEY + "\n");
        cluster = new TesseraCluster(dir.resolve("nodes"), 1, TesseraCluster.clientKeys(keys)).start();
        SeataClient.withRaftRegistry(cluster);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void capture() {
        captured.start();
        seataLog.addAppender(captured);
        nodeLog.addAppender(captured);
    }

    @AfterEach
    void destroyClient() {
        TmNettyRemotingClient.getInstance().destroy();
        System.clearProperty("seata.accesskey");
        System.clearProperty("seata.secretkey");
        seataLog.detachAppender(captured);
        nodeLog.detachAppender(captured);
    }

    /** seata-all reads the keys from these system properties when TMClient.init gets none. */
    private static void keys(String accessKey, String secretKey) {
        System.setProperty("seata.accesskey", accessKey);
        System.setProperty("seata.secretkey", secretKey);
    }

    private List<String> lines() {
        return List.copyOf(captured.list).stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private void assertRefused(String nodeSays) {
        RuntimeException e = assertThrows(RuntimeException.class, () -> TMClient.init(APP, GROUP));
        assertTrue(String.valueOf(e.getMessage()).contains("can not connect to"), e.toString());
        assertTrue(lines().stream().anyMatch(l -> l.contains("register TM failed")),
                "the client logs that its registration failed: " + lines());
        assertTrue(lines().stream().anyMatch(l -> l.contains(nodeSays)), "the node logs why: " + lines());
    }

    @Test
    void aWrongSecretKeyIsRefused() {
        keys(ACCESS_KEY, "not-the-secret-key-0123456789");
        assertRefused("RegisterTM refused: signature of access key 'compat-ak' does not verify");
    }

    @Test
    void anUnknownAccessKeyIsRefused() {
        keys("stranger-ak", SECRET_KEY);
        assertRefused("RegisterTM refused: unknown access key 'stranger-ak'");
    }

    @Test
    void aClientWithoutKeysIsRefused() {
        assertRefused("RegisterTM refused: client authentication is on: registration without an access key");
    }
}
