package io.tessera.compat;

import static io.tessera.compat.SeataClient.TCC_RESOURCE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.compat.PhaseTwoRecorder.Call;
import io.tessera.coordinator.config.RegistryConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.seata.core.context.RootContext;
import org.apache.seata.core.model.BranchType;
import org.apache.seata.core.model.GlobalStatus;
import org.apache.seata.discovery.registry.RegistryFactory;
import org.apache.seata.rm.DefaultResourceManager;
import org.apache.seata.tm.api.GlobalTransaction;
import org.apache.seata.tm.api.GlobalTransactionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One registry type end to end: the real registry server (started by the subclass), a three-node
 * cluster whose nodes register themselves in it, and the unmodified seata-all client configured with
 * only {@code registry.type=<type>} and the registry's address, which must find the nodes there and
 * commit through them. Then a graceful stop removes a node's entry at once, and a killed node's entry
 * goes by the registry's own expiry: node {@link #CUT} reaches the registry through a {@link TcpRelay},
 * and cutting it is, for the registry, that node's process dying.
 *
 * <p>The steps build on each other (ordered), one cluster and one client per class (forked JVM).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(180)
abstract class RegistryDiscoveryTestBase {
    static final int CUT = 2;

    @TempDir
    static Path dir;

    TesseraCluster cluster;
    SeataClient client;
    TcpRelay relay;
    private int stopped = -1;

    /** Starts the registry server in {@code dir}; its client address is {@link #serverAddress()}. */
    abstract void startServer(Path dir) throws Exception;

    abstract InetSocketAddress serverAddress();

    /** A node's registry settings, reaching the registry at {@code hostPort}. */
    abstract RegistryConfig nodeRegistry(String hostPort);

    /** The seata-all client's registry settings (system properties, as a user's registry.conf would say). */
    abstract void configureClient();

    /** The transaction addresses registered right now, read from the registry server itself. */
    abstract Set<String> registered() throws Exception;

    abstract void stopServer() throws Exception;

    @BeforeAll
    void start() throws Exception {
        startServer(dir.resolve("registry"));
        relay = new TcpRelay(serverAddress());
        int direct = serverAddress().getPort();
        cluster = TesseraCluster.perNode(dir.resolve("nodes"), 3,
                i -> b -> b.registry(nodeRegistry("127.0.0.1:" + (i == CUT ? relay.port() : direct)))).start();
        configureClient();
        client = new SeataClient().start(cluster);
    }

    @AfterAll
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (relay != null) {
            relay.close();
        }
        stopServer();
    }

    @AfterEach
    void unbind() {
        RootContext.unbind();
    }

    /** What the unmodified client's registry implementation resolves the transaction group to. */
    static Set<String> lookup() throws Exception {
        return addresses(RegistryFactory.getInstance().lookup(SeataClient.GROUP));
    }

    /** The client's "alive" addresses, the list its load balancer picks a coordinator from. */
    static Set<String> aliveLookup() {
        return addresses(RegistryFactory.getInstance().aliveLookup(SeataClient.GROUP));
    }

    private static Set<String> addresses(List<InetSocketAddress> found) {
        return found == null ? Set.of() : found.stream()
                .map(a -> a.getAddress().getHostAddress() + ":" + a.getPort())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private Set<String> running() {
        return cluster.runningIndexes().stream().map(cluster::transactionAddress)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private void commitOne(String name) throws Exception {
        GlobalTransaction tx = GlobalTransactionContext.createNew();
        tx.begin(30_000, name);
        String xid = tx.getXid();
        long branch = DefaultResourceManager.get().branchRegister(BranchType.TCC, TCC_RESOURCE, null, xid, "{}", null);
        tx.commit();
        assertEquals(GlobalStatus.Committed, tx.getLocalStatus(), xid);
        assertEquals(List.of(new Call(true, BranchType.TCC, xid, branch, TCC_RESOURCE, "{}")),
                client.recorder.callsFor(xid));
        cluster.awaitEndedEverywhere(xid, GlobalStatus.Committed);
    }

    @Test
    @Order(1)
    void everyNodeRegistersAndTheUnmodifiedClientFindsThemAndCommits() throws Exception {
        Set<String> all = running();
        assertEquals(3, all.size());
        await().atMost(Duration.ofSeconds(30)).until(() -> registered().equals(all));
        await().atMost(Duration.ofSeconds(30)).until(() -> lookup().equals(all));
        for (int i = 0; i < 3; i++) {
            commitOne("registry-tcc-" + i);
        }
    }

    @Test
    @Order(2)
    void aGracefullyStoppedNodeLeavesTheRegistryAtOnce() throws Exception {
        int leader = cluster.leaderIndex();
        stopped = IntStream.range(0, 3).filter(i -> i != leader && i != CUT).findFirst().orElseThrow();
        String address = cluster.transactionAddress(stopped);
        await().atMost(Duration.ofSeconds(30)).until(() -> registered().contains(address));

        cluster.stopGracefully(stopped);

        // No waiting: the node deleted its entry before it stopped (expiry would take seconds).
        assertFalse(registered().contains(address), "entry of the stopped node " + address + " still there");
        await().atMost(Duration.ofSeconds(30)).until(() -> !lookup().contains(address));
        // The zk, redis and etcd3 clients drop it from the alive list with the lookup. Seata's eureka client
        // does not (it prunes the alive list under the upper-cased cluster name, which aliveLookup never
        // reads): there the list follows at the client's reconnect timer, every 10 s after its first minute.
        await().atMost(Duration.ofSeconds(90)).until(() -> !aliveLookup().contains(address));
        commitOne("registry-tcc-after-stop");
    }

    @Test
    @Order(3)
    void aKilledNodeLeavesByTheRegistrysOwnExpiry() throws Exception {
        String address = cluster.transactionAddress(CUT);
        await().atMost(Duration.ofSeconds(30)).until(() -> registered().contains(address));
        assertTrue(lookup().contains(address));

        relay.cut();

        await().atMost(Duration.ofSeconds(60)).until(() -> !registered().contains(address));
        await().atMost(Duration.ofSeconds(30)).until(() -> !lookup().contains(address));
        Set<String> others = running();
        others.remove(address);
        assertEquals(others, registered(), "the other running nodes stay registered");
    }
}
