package io.tessera.coordinator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.coordinator.transport.TransactionServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigLoaderTest {
    private static final String MEMBERS = "node1@127.0.0.1:7091:8091:9091,node2@127.0.0.1:7092:8092:9092,"
            + "node3@127.0.0.1:7093:8093:9093";

    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        Path file = dir.resolve("node.properties");
        Files.writeString(file, text);
        return file;
    }

    /** Both roles' credentials and a plain raft port: what every test below that is not about them needs. */
    private static final String SECURITY = "registry.username=seata-client\nregistry.password=client-secret-1\n"
            + "admin.username=tessera-admin\nadmin.password=admin-secret-1\nraft.tls.enabled=false\n";

    /** Later lines win in a properties file, so {@code text} can override any of {@link #SECURITY}. */
    private NodeConfig load(String text) throws IOException {
        return loadRaw(SECURITY + text);
    }

    private NodeConfig loadRaw(String text) throws IOException {
        return new NodeConfigLoader(Map.of(), Map.of()).load(write(text));
    }

    private String failure(String text) {
        return assertThrows(ConfigException.class, () -> load(text)).getMessage();
    }

    private String rawFailure(String text) {
        return assertThrows(ConfigException.class, () -> loadRaw(text)).getMessage();
    }

    @Test
    void monitoringKeys() throws IOException {
        String base = "node.id=node2\ncluster.members=" + MEMBERS + "\ndata.dir=" + dir.resolve("m2") + "\n";
        assertEquals(NodeConfig.Monitoring.defaults(), load(base).monitoring());
        NodeConfig c = load(base + "metrics.enabled=false\nmetrics.token-file=" + dir.resolve("scrape.token")
                + "\nhealth.ready-max-apply-lag=50\n");
        assertEquals(new NodeConfig.Monitoring(false, java.util.Optional.of(dir.resolve("scrape.token")), 50),
                c.monitoring());
        assertTrue(failure(base + "health.ready-max-apply-lag=0\n").contains("health.ready-max-apply-lag"));
    }

    @Test
    void loadsAValidFile() throws IOException {
        NodeConfig c = load("node.id=node2\ncluster.members=" + MEMBERS + "\ndata.dir=" + dir.resolve("d2")
                + "\nrequest.timeout-ms=3000\nregistry.username=seata\nregistry.password=secret-1\n");
        assertEquals("node2", c.nodeId());
        assertEquals(7092, c.controlPort());
        assertEquals(8092, c.transactionPort());
        assertEquals(9092, c.raftPort());
        assertEquals("127.0.0.1", c.advertisedHost());
        assertEquals(3, c.members().size());
        assertEquals("default", c.raftGroup());
        assertEquals(3000, c.requestTimeoutMs());
        assertEquals(15000, c.rmRequestTimeoutMs());
        assertEquals(8 * 1024 * 1024, c.maxFrameLength());
        assertEquals(TransactionServer.DEFAULT_MAX_INFLIGHT_REQUESTS, c.maxInflightRequests());
        assertEquals(new NodeConfig.Credentials("seata", "secret-1"), c.security().registry());
        assertEquals(new NodeConfig.Credentials("tessera-admin", "admin-secret-1"), c.security().admin());
        assertTrue(c.security().memberTls().isEmpty());
        assertEquals(NodeConfig.TransactionLimits.defaults(), c.transactionLimits());
        assertEquals(NodeConfig.ControlLimits.defaults(), c.controlLimits());
        assertTrue(Files.isDirectory(dir.resolve("d2")));
    }

    @Test
    void loadsTheShippedClusterFiles() {
        for (int n = 1; n <= 3; n++) {
            Path file = Path.of("..", "cluster-conf", "node" + n + ".properties");
            // What scripts/cluster.sh hands every node: generated credentials in the environment, the
            // member keystore in the data dir (here: the raft port left plain, the keystore is not made).
            NodeConfig c = new NodeConfigLoader(Map.of("tessera.data.dir", dir.resolve("n" + n).toString(),
                    "tessera.raft.tls.enabled", "false"), Map.of(
                    "TESSERA_REGISTRY_USERNAME", "seata-client", "TESSERA_REGISTRY_PASSWORD", "generated-1",
                    "TESSERA_ADMIN_USERNAME", "tessera-admin", "TESSERA_ADMIN_PASSWORD", "generated-2")).load(file);
            assertEquals("node" + n, c.nodeId());
            assertEquals(7090 + n, c.controlPort());
            assertEquals(8090 + n, c.transactionPort());
            assertEquals(9090 + n, c.raftPort());
            assertEquals(3, c.members().size());
            assertEquals("127.0.0.1", c.bindHost(), "the local cluster listens on loopback only");
        }
    }

    @Test
    void singleNodeWithoutMemberListUsesDefaults() throws IOException {
        NodeConfig c = load("node.id=solo\ndata.dir=" + dir.resolve("solo") + "\n");
        assertEquals(7091, c.controlPort());
        assertEquals(8091, c.transactionPort());
        assertEquals(9091, c.raftPort());
        assertEquals("0.0.0.0", c.bindHost());
    }

    @Test
    void systemPropertiesBeatEnvironmentBeatFile() throws IOException {
        Path file = write(SECURITY + "node.id=solo\ndata.dir=" + dir.resolve("solo") + "\nrequest.timeout-ms=1000\n"
                + "raft.election-timeout-ms=1500\n");
        NodeConfig c = new NodeConfigLoader(
                Map.of("tessera.request.timeout-ms", "2000", "tessera.transaction.port", "18091"),
                Map.of("TESSERA_REQUEST_TIMEOUT_MS", "3000", "TESSERA_RAFT_ELECTION_TIMEOUT_MS", "2500"))
                .load(file);
        assertEquals(2000, c.requestTimeoutMs());
        assertEquals(2500, c.electionTimeoutMs());
        assertEquals(18091, c.transactionPort());
        assertEquals("TESSERA_TRANSACTION_PORT", NodeConfigLoader.environmentName("transaction.port"));
        assertEquals("tessera.transaction.port", NodeConfigLoader.systemPropertyName("transaction.port"));
    }

    @Test
    void lifecycleKeys() throws IOException {
        NodeConfig defaults = load("node.id=node2\ncluster.members=" + MEMBERS + "\ndata.dir=" + dir.resolve("d2") + "\n");
        assertEquals(NodeConfig.Lifecycle.defaults(), defaults.lifecycle());
        NodeConfig joining = load("node.id=node2\ncluster.members=" + MEMBERS + "\ndata.dir=" + dir.resolve("d2")
                + "\ncluster.join=true\nraft.snapshot-log-entries=0\nshutdown.drain-timeout-ms=2500\n");
        assertEquals(new NodeConfig.Lifecycle(true, 0, 2500), joining.lifecycle());
        assertEquals("raft.snapshot-log-entries='-1' is not a non-negative integer (0 = on the timer only)",
                failure("node.id=node2\ncluster.members=" + MEMBERS + "\nraft.snapshot-log-entries=-1\n"));
        assertEquals("cluster.join='yes' is not true or false",
                failure("node.id=node2\ncluster.members=" + MEMBERS + "\ncluster.join=yes\n"));
    }

    @Test
    void missingNodeId() {
        assertEquals("node.id is required (or tessera.node.id / TESSERA_NODE_ID)",
                failure("cluster.members=" + MEMBERS + "\n"));
    }

    @Test
    void selfNotInMembers() {
        assertEquals("node.id 'node4' is not in cluster.members (node1, node2, node3)",
                failure("node.id=node4\ncluster.members=" + MEMBERS + "\n"));
    }

    @Test
    void duplicatePorts() {
        String msg = failure("node.id=node1\ncluster.members=node1@127.0.0.1:7091:8091:9091,"
                + "node2@127.0.0.1:7092:8091:9092\n");
        assertEquals("duplicate port 127.0.0.1:8091 (node1 transaction and node2 transaction)", msg);
        assertEquals("duplicate port 127.0.0.1:7091 (node1 control and node1 raft)",
                failure("node.id=node1\ncluster.members=node1@127.0.0.1:7091:8091:7091\n"));
    }

    @Test
    void ownPortDisagreeingWithMemberList() {
        assertEquals("transaction.port=8099 disagrees with cluster.members entry node1@127.0.0.1:7091:8091:9091",
                failure("node.id=node1\ntransaction.port=8099\ncluster.members=" + MEMBERS + "\n"));
    }

    @Test
    void malformedMember() {
        assertEquals("cluster.members: 'node2@127.0.0.1:7092:8092' is not of the form "
                + "id@host:controlPort:transactionPort:raftPort",
                failure("node.id=node1\ncluster.members=node1@127.0.0.1:7091:8091:9091,node2@127.0.0.1:7092:8092\n"));
        assertEquals("cluster.members: 'x' in 'node1@h:x:1:2' is not a port (1-65535)",
                failure("node.id=node1\ncluster.members=node1@h:x:1:2\n"));
    }

    @Test
    void unwritableDataDir() throws IOException {
        Path file = dir.resolve("plain-file");
        Files.writeString(file, "x");
        String msg = failure("node.id=solo\ndata.dir=" + file.resolve("sub") + "\n");
        assertTrue(msg.startsWith("data.dir " + file.resolve("sub") + " is not writable"), msg);
    }

    @Test
    void maxInflightRequestsTakesAnyNonNegativeBound() throws IOException {
        String base = "node.id=solo\ndata.dir=" + dir + "\n";
        assertEquals(1000, load(base).maxInflightRequests());
        assertEquals(250, load(base + "transaction.max-inflight-requests=250\n").maxInflightRequests());
        assertEquals(0, load(base + "transaction.max-inflight-requests=0\n").maxInflightRequests(), "0 = no bound");
        assertEquals(7, new NodeConfigLoader(Map.of(), Map.of("TESSERA_TRANSACTION_MAX_INFLIGHT_REQUESTS", "7"))
                .load(write(SECURITY + base)).maxInflightRequests());
        assertEquals("transaction.max-inflight-requests='-1' is not a non-negative integer (0 = no bound)",
                failure(base + "transaction.max-inflight-requests=-1\n"));
        assertEquals("transaction.max-inflight-requests='lots' is not a non-negative integer (0 = no bound)",
                failure(base + "transaction.max-inflight-requests=lots\n"));
    }

    @Test
    void deadLeaderElectionTimeoutDefaultsTo150AndZeroTurnsItOff() throws IOException {
        String base = "node.id=solo\ndata.dir=" + dir + "\n";
        assertEquals(150, load(base).deadLeaderElectionTimeoutMs());
        assertEquals(0, load(base + "raft.dead-leader-election-timeout-ms=0\n").deadLeaderElectionTimeoutMs());
        assertEquals(300, load(base + "raft.dead-leader-election-timeout-ms=300\n").deadLeaderElectionTimeoutMs());
        assertEquals("raft.dead-leader-election-timeout-ms='-5' is not a non-negative integer (0 = off)",
                failure(base + "raft.dead-leader-election-timeout-ms=-5\n"));
    }

    @Test
    void badNumbersAndUnknownKeys() {
        assertEquals("request.timeout-ms='soon' is not a positive integer",
                failure("node.id=solo\ndata.dir=" + dir + "\nrequest.timeout-ms=soon\n"));
        assertTrue(failure("node.id=solo\ntransaction.prot=1\n").startsWith("unknown config key 'transaction.prot'"));
    }

    @Test
    void bothRolesNeedCredentialsAndHalfSetPairsAreRefused() {
        String base = "node.id=solo\ndata.dir=" + dir + "\nraft.tls.enabled=false\n";
        String admin = "admin.username=ops\nadmin.password=admin-secret-1\n";
        String client = "registry.username=seata\nregistry.password=client-secret-1\n";
        assertEquals("registry.username and registry.password are required (the client role: what Seata clients "
                + "log in with; or TESSERA_REGISTRY_USERNAME / TESSERA_REGISTRY_PASSWORD); scripts/cluster.sh "
                + "generates them at first start", rawFailure(base + admin));
        assertTrue(rawFailure(base + client).startsWith("admin.username and admin.password are required"));
        assertEquals("registry.username is set but registry.password is not (the client role: what Seata clients "
                + "log in with)", rawFailure(base + admin + "registry.username=seata\n"));
        assertEquals("admin.password is set but admin.username is not (the operator role: backup, console and "
                + "every mutating endpoint)", rawFailure(base + client + "admin.password=admin-secret-1\n"));
        assertEquals("admin.password must have at least 8 characters",
                rawFailure(base + client + "admin.username=ops\nadmin.password=short\n"));
        assertEquals("registry.password must not equal registry.username",
                rawFailure(base + admin + "registry.username=seata-client\nregistry.password=seata-client\n"));
        assertEquals("registry.username and admin.username must differ (a login is for one role)",
                rawFailure(base + client + "admin.username=seata\nadmin.password=admin-secret-1\n"));
    }

    @Test
    void credentialsComeFromTheEnvironmentLikeEveryKey() throws IOException {
        Path file = write("node.id=solo\ndata.dir=" + dir + "\nraft.tls.enabled=false\n");
        NodeConfig c = new NodeConfigLoader(Map.of(), Map.of("TESSERA_REGISTRY_USERNAME", "seata",
                "TESSERA_REGISTRY_PASSWORD", "from-env-1", "TESSERA_ADMIN_USERNAME", "ops",
                "TESSERA_ADMIN_PASSWORD", "from-env-2")).load(file);
        assertEquals(new NodeConfig.Credentials("seata", "from-env-1"), c.security().registry());
        assertEquals(new NodeConfig.Credentials("ops", "from-env-2"), c.security().admin());
        assertFalse(c.toString().contains("from-env"), "passwords never printed: " + c);
    }

    @Test
    void raftTlsIsOnByDefaultAndNeedsTheMemberKeystore() throws IOException {
        String base = SECURITY.replace("raft.tls.enabled=false\n", "") + "node.id=solo\ndata.dir=" + dir + "\n";
        String msg = rawFailure(base);
        assertTrue(msg.startsWith("raft.tls.enabled=true but the member keystore " + dir.resolve("tls/member.p12")
                + " is missing or unreadable: create it with `tessera-admin tls init`"), msg);

        Files.createDirectories(dir.resolve("tls"));
        Files.write(dir.resolve("tls/member.p12"), new byte[] {1});
        Files.writeString(dir.resolve("tls/member.pass"), "pass-from-file\n");
        NodeConfig c = loadRaw(base);
        assertEquals(new NodeConfig.MemberTlsFiles(dir.resolve("tls/member.p12"), "pass-from-file"),
                c.security().memberTls().orElseThrow());
        assertEquals("given", loadRaw(base + "raft.tls.keystore-password=given\n").security().memberTls()
                .orElseThrow().password());
        Path other = dir.resolve("elsewhere.p12");
        Files.write(other, new byte[] {1});
        assertEquals(other, loadRaw(base + "raft.tls.keystore=" + other + "\n").security().memberTls().orElseThrow()
                .keystore());
        assertEquals("raft.tls.enabled='yes' is not true or false", rawFailure(base + "raft.tls.enabled=yes\n"));
    }

    @Test
    void limitsHaveDefaultsAndOverrides() throws IOException {
        String base = "node.id=solo\ndata.dir=" + dir + "\n";
        NodeConfig c = load(base + "transaction.registration-timeout-ms=2000\ntransaction.max-connections=10\n"
                + "transaction.max-connections-per-source=3\ntransaction.frame-timeout-ms=4000\n"
                + "transaction.max-pending-frame-bytes=1048576\ntransaction.max-resource-ids=5\n"
                + "transaction.max-field-length=64\ntransaction.application-data-limit=100\n"
                + "control.max-connections=7\ncontrol.idle-timeout-ms=8000\ncontrol.request-timeout-ms=900\n");
        assertEquals(new NodeConfig.TransactionLimits(2000, 10, 3, 4000, 1048576L, 5, 64, 100), c.transactionLimits());
        assertEquals(new NodeConfig.ControlLimits(7, 8000, 900), c.controlLimits());
        assertEquals("transaction.max-connections-per-source='0' is not a positive integer",
                failure(base + "transaction.max-connections-per-source=0\n"));
    }
}
