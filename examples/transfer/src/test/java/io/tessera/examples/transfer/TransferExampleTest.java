package io.tessera.examples.transfer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.coordinator.config.NodeConfig;
import io.tessera.coordinator.tc.TcOptions;
import io.tessera.coordinator.testing.LocalCluster;
import io.tessera.coordinator.testing.TestSecurity;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.seata.core.rpc.netty.RmNettyRemotingClient;
import org.apache.seata.core.rpc.netty.TmNettyRemotingClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example as run.sh runs it, in one JVM: a real three-node Tessera cluster (in-process, member TLS,
 * credentials), both bank services with their own embedded PostgreSQL, the unmodified seata-all client
 * finding the cluster through the raft registry. One transfer commits, one is refused by bank-b after it
 * credited; the money in both databases adds up to the opening total after each, and the refused one
 * leaves both balances as they were.
 */
class TransferExampleTest {
    private static final long ALICE = 1_000;
    private static final long BOB = 100;
    private static final long LIMIT = 500;

    @TempDir
    static Path dir;

    private static LocalCluster cluster;
    private static Bank bankA;
    private static Bank bankB;
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** The cluster with elections a loaded test host does not trip over (as the compat tests use). */
    private static final class ExampleCluster extends LocalCluster {
        ExampleCluster(Path dir) {
            super(dir, 3, TcOptions.defaults(5_000));
        }

        @Override
        protected NodeConfig config(int i) {
            return NodeConfig.builder(members().get(i).id(), dataDir(i), members(), security(i))
                    .electionTimeoutMs(1_500).recovery(FAST_RECOVERY).build();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        cluster = new ExampleCluster(dir).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.runningIndexes().stream()
                .anyMatch(i -> cluster.node(i).group().isLeader()));
        cluster.awaitTokenKey();
        // What run.sh passes as -D options: the control ports and the client role (Seata reads System first).
        System.setProperty("registry.raft.serverAddr", IntStream.range(0, cluster.size())
                .mapToObj(i -> "127.0.0.1:" + cluster.members().get(i).controlPort()).collect(Collectors.joining(",")));
        System.setProperty("registry.raft.username", TestSecurity.CLIENT.username());
        System.setProperty("registry.raft.password", TestSecurity.CLIENT.password());
        SeataClient.init("transfer-example");
        bankB = Bank.start("bank-b", 0, Map.of("bob", BOB), null, LIMIT);
        bankA = Bank.start("bank-a", 0, Map.of("alice", ALICE), bankB.uri(), Long.MAX_VALUE);
    }

    @Test
    void oneTransferCommitsOneRollsBackAndTheMoneyAddsUp() throws Exception {
        HttpResponse<String> ok = transfer(300);
        assertEquals(200, ok.statusCode(), ok.body());
        assertTrue(ok.body().contains("\"committed\""), ok.body());
        assertEquals(700, balance(bankA, "alice"));
        assertEquals(400, balance(bankB, "bob"));

        // Over bank-b's limit: bank-b credits, then refuses; bank-a rolls back; Tessera has both branches undone.
        HttpResponse<String> refused = transfer(600);
        assertEquals(409, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("rolled back"), refused.body());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertEquals(700, balance(bankA, "alice"));
            assertEquals(400, balance(bankB, "bob"));
        });
        assertEquals(ALICE + BOB, balance(bankA, "alice") + balance(bankB, "bob"));
        // Phase two removes every undo log: after the rollback at once, after the commit asynchronously.
        await().atMost(Duration.ofSeconds(30)).until(
                () -> bankA.accounts().undoLogRows() == 0 && bankB.accounts().undoLogRows() == 0);
    }

    private static HttpResponse<String> transfer(long amount) throws Exception {
        return http.send(HttpRequest.newBuilder(bankA.uri().resolve("/transfer?from=alice&to=bob&amount=" + amount))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long balance(Bank bank, String account) throws Exception {
        return bank.accounts().balances().get(account);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (bankA != null) {
                bankA.close();
            }
            if (bankB != null) {
                bankB.close();
            }
        } finally {
            TmNettyRemotingClient.getInstance().destroy();
            RmNettyRemotingClient.getInstance().destroy();
            if (cluster != null) {
                cluster.close();
            }
        }
    }
}
