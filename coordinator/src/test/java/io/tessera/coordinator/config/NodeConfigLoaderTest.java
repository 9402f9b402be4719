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

    private NodeConfig load(String text) throws IOException {
        return new NodeConfigLoader(Map.of(), Map.of()).load(write(text));
    }

    private String failure(String text) {
        return assertThrows(ConfigException.class, () -> load(text)).getMessage();
    }

    @Test
    void loadsAValidFile() throws IOException {
        NodeConfig c = load("node.id=node2\ncluster.members=" + MEMBERS + "\ndata.dir=" + dir.resolve("d2")
                + "\nrequest.timeout-ms=3000\nregistry.username=seata\nregistry.password=secret\n");
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
        assertEquals(new NodeConfig.Credentials("seata", "secret"), c.registryCredentials().orElseThrow());
        assertTrue(Files.isDirectory(dir.resolve("d2")));
    }

    @Test
    void loadsTheShippedClusterFiles() {
        for (int n = 1; n <= 3; n++) {
            Path file = Path.of("..", "cluster-conf", "node" + n + ".properties");
            NodeConfig c = new NodeConfigLoader(Map.of("tessera.data.dir", dir.resolve("n" + n).toString()), Map.of())
                    .load(file);
            assertEquals("node" + n, c.nodeId());
            assertEquals(7090 + n, c.controlPort());
            assertEquals(8090 + n, c.transactionPort());
            assertEquals(9090 + n, c.raftPort());
            assertEquals(3, c.members().size());
            assertTrue(c.registryCredentials().isEmpty());
        }
    }

    @Test
    void singleNodeWithoutMemberListUsesDefaults() throws IOException {
        NodeConfig c = load("node.id=solo\ndata.dir=" + dir.resolve("solo") + "\n");
        assertEquals(7091, c.controlPort());
        assertEquals(8091, c.transactionPort());
        assertEquals(9091, c.raftPort());
        assertFalse(c.registryCredentials().isPresent());
    }

    @Test
    void systemPropertiesBeatEnvironmentBeatFile() throws IOException {
        Path file = write("node.id=solo\ndata.dir=" + dir.resolve("solo") + "\nrequest.timeout-ms=1000\n"
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
                .load(write(base)).maxInflightRequests());
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
}
