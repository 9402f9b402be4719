package io.tessera.coordinator.metrics;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.codec.RpcFrame;
import io.tessera.codec.message.BranchEndRequest;
import io.tessera.codec.message.BranchEndResponse;
import io.tessera.codec.message.BranchRegisterRequest;
import io.tessera.codec.message.BranchRegisterResponse;
import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalBeginRequest;
import io.tessera.codec.message.GlobalBeginResponse;
import io.tessera.codec.message.GlobalEndRequest;
import io.tessera.codec.message.GlobalEndResponse;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.message.ResultCode;
import io.tessera.codec.message.TransactionExceptionCode;
import io.tessera.coordinator.config.NodeConfig;
import io.tessera.coordinator.tc.TcOptions;
import io.tessera.coordinator.testing.ControlHttp;
import io.tessera.coordinator.testing.LocalCluster;
import io.tessera.coordinator.testing.RawClient;
import io.tessera.coordinator.testing.TestSecurity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * GET /metrics on a real three-node cluster (jraft, RocksDB, the transaction port): Seata's
 * seata_transaction family moves by exactly the transactions run, with Seata's labels, on the leader only;
 * Tessera's own and jraft's meters are there; the exposition parses strictly; the route refuses callers
 * without a client/admin token or the scrape secret.
 */
@Timeout(120)
class MetricsClusterTest {
    private static final TcOptions FAST = new TcOptions(4_000, 2_000, 200, 500, 60_000, 60_000);
    private static final String SECRET = "scrape-secret-0123456789";

    @TempDir
    Path dir;

    private LocalCluster cluster(Path tokenFile) {
        return new LocalCluster(dir, 3, FAST) {
            @Override
            protected NodeConfig.Monitoring monitoring(int i) {
                return new NodeConfig.Monitoring(true, Optional.of(tokenFile), 1_000);
            }
        };
    }

    @Test
    void seataFamilyCountsExactlyTheTransactionsWithSeataLabels() throws Exception {
        Path tokenFile = dir.resolve("metrics.token");
        Files.writeString(tokenFile, SECRET + "\n");
        try (LocalCluster cluster = cluster(tokenFile).start();
                RawClient tm = new RawClient(cluster.transactionPort(cluster.followerIndex()));
                RawClient rm = new RawClient(cluster.transactionPort(cluster.leaderIndex()))) {
            int leader = cluster.leaderIndex();
            int follower = cluster.followerIndex();
            ControlHttp http = cluster.control(leader);

            // Closed by default: no credential, a wrong secret → 401; the secret, a client or an admin token → 200.
            assertEquals(401, http.get("/metrics", null).status());
            assertEquals(401, http.get("/metrics", "Bearer not-the-secret-at-all").status());
            assertEquals(200, http.get("/metrics", "Bearer " + SECRET).status());
            assertEquals(200, http.get("/metrics", http.token(TestSecurity.CLIENT)).status());
            ControlHttp.Reply admin = http.get("/metrics", http.token(TestSecurity.ADMIN));
            assertEquals(200, admin.status());
            assertTrue(admin.headers().toString().contains("text/plain"), admin.headers().toString());

            tm.registerTm("orders", "2.5.0");
            rm.registerRm("stock", "2.5.0", "deduct");
            int commits = 3;
            int rollbacks = 2;
            for (int i = 0; i < commits + rollbacks; i++) {
                boolean commit = i < commits;
                String xid = begin(tm);
                register(rm, xid);
                int id = tm.request(new GlobalEndRequest(commit ? GlobalEndRequest.Kind.COMMIT
                        : GlobalEndRequest.Kind.ROLLBACK, xid, null));
                answerPhaseTwo(rm, commit ? BranchStatus.PhaseTwo_Committed : BranchStatus.PhaseTwo_Rollbacked);
                GlobalEndResponse end = answer(tm, id, GlobalEndResponse.class);
                assertEquals(commit ? GlobalStatus.Committed : GlobalStatus.Rollbacked, end.globalStatus());
            }

            Map<String, String> app = Map.of("role", "tc", "applicationId", "orders", "group", "tx-group");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                PromText m = scrape(cluster.control(leader));
                assertEquals(commits, seata(m, app, "counter", "", "committed"));
                assertEquals(commits, seata(m, app, "counter", "", "AfterCommitted"));
                assertEquals(rollbacks, seata(m, app, "counter", "", "rollbacked"));
                assertEquals(rollbacks, seata(m, app, "counter", "", "AfterRollbacked"));
                assertEquals(0, seata(m, app, "counter", "", "active"));
            });
            PromText m = scrape(cluster.control(leader));
            assertEquals(commits, seata(m, app, "summary", "count", "committed"));
            assertEquals(commits, seata(m, app, "summary", "total", "committed"));
            assertEquals(commits, seata(m, app, "timer", "count", "committed"));
            assertEquals(rollbacks, seata(m, app, "timer", "count", "rollbacked"));
            assertTrue(seata(m, app, "timer", "total", "committed") >= 0);
            assertEquals(0, seata(m, app, "summary", "count", "failed"));
            // Seata's label keys exactly (statistic/transactionName empty where Seata has none).
            Set<String> seataKeys = Set.of("role", "meter", "statistic", "status", "applicationId", "group",
                    "transactionName");
            assertFalse(m.samples("seata_transaction").isEmpty());
            m.samples("seata_transaction").forEach(s -> assertEquals(seataKeys, s.labels().keySet(), s.toString()));

            // Tessera's own meters on the leader.
            assertEquals(1, m.value("tessera_raft_role", Map.of("role", "LEADER")));
            assertTrue(m.value("tessera_raft_applied_index", Map.of()) > 0);
            assertTrue(m.value("tessera_raft_commit_index", Map.of()) >= m.value("tessera_raft_applied_index", Map.of()));
            assertEquals(1, m.value("tessera_connections", Map.of("role", "RM")));
            assertEquals(commits + rollbacks, m.value("tessera_phase2_decisions_total", Map.of()));
            assertEquals(commits + rollbacks, m.value("tessera_request_seconds_count",
                    Map.of("type", "BranchRegister", "answer", "Success")));
            assertTrue(m.type("tessera_request_seconds").equals("histogram"), m.type("tessera_request_seconds"));
            assertFalse(m.samples("jraft_metric").isEmpty(), "jraft's own registry is exported");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                PromText again = scrape(cluster.control(leader));
                assertEquals(2, again.samples("tessera_raft_follower_apply_lag").stream()
                        .filter(s -> !Double.isNaN(s.value())).count(), "apply lag of both followers");
            });

            // Every name the shipped alert rules and dashboard use is exported (by the leader, which has them all).
            String leaderText = cluster.control(leader).get("/metrics", "Bearer " + SECRET).body();
            Files.writeString(Path.of("target", "metrics-sample.txt"), leaderText);
            PromText all = PromText.parse(leaderText);
            // seata_exception appears with the first exception, as in Seata (meters are created on first use).
            java.util.List<String> missing = MonitoringDocs.metricNames().stream()
                    .filter(name -> all.samples(name).isEmpty() && !name.equals("seata_exception")).toList();
            assertEquals(java.util.List.of(), missing, "used in docs/ but not exported");

            // A follower counts too (it would carry on as leader) but exports no seata_transaction series, so
            // sum() over the cluster counts each transaction once.
            PromText f = scrape(cluster.control(follower));
            assertTrue(f.samples("seata_transaction").isEmpty(), "followers export none");
            assertEquals(1, f.value("tessera_raft_role", Map.of("role", "FOLLOWER")));
            assertEquals(commits + rollbacks, f.value("tessera_request_seconds_count",
                    Map.of("type", "GlobalBegin", "answer", "Success")));
            assertEquals(commits, f.value("tessera_request_seconds_count",
                    Map.of("type", "GlobalCommit", "answer", "Success")));
            assertEquals(1, f.value("tessera_connections", Map.of("role", "TM")));
            assertTrue(f.value("tessera_raft_forwarded_total", Map.of()) >= commits + rollbacks,
                    "the follower forwarded the TM's drafts");
        }
    }

    private static PromText scrape(ControlHttp http) {
        ControlHttp.Reply r = http.get("/metrics", "Bearer " + SECRET);
        assertEquals(200, r.status(), r.body());
        return PromText.parse(r.body());
    }

    private static double seata(PromText m, Map<String, String> app, String meter, String statistic, String status) {
        Map<String, String> match = new java.util.HashMap<>(app);
        match.put("meter", meter);
        match.put("statistic", statistic);
        match.put("status", status);
        return m.value("seata_transaction", match);
    }

    private static <T> T answer(RawClient c, int id, Class<T> type) {
        RpcFrame f = c.next(Duration.ofSeconds(10));
        assertEquals(id, f.requestId(), "answer to request " + id);
        return assertInstanceOf(type, f.body());
    }

    private static String begin(RawClient tm) {
        int id = tm.request(new GlobalBeginRequest(60_000, "transfer"));
        GlobalBeginResponse r = answer(tm, id, GlobalBeginResponse.class);
        assertEquals(ResultCode.Success, r.resultCode(), r.msg());
        return r.xid();
    }

    private static void register(RawClient rm, String xid) {
        int id = rm.request(new BranchRegisterRequest(xid, BranchType.TCC, "deduct", null, null));
        BranchRegisterResponse r = answer(rm, id, BranchRegisterResponse.class);
        assertEquals(ResultCode.Success, r.resultCode(), r.msg());
    }

    private static void answerPhaseTwo(RawClient rm, BranchStatus status) {
        RpcFrame f = rm.next(Duration.ofSeconds(10));
        BranchEndRequest req = assertInstanceOf(BranchEndRequest.class, f.body());
        rm.send(RpcFrame.response(f.requestId(), RpcFrame.CODEC_SEATA, new BranchEndResponse(req.commit(),
                ResultCode.Success, null, TransactionExceptionCode.Unknown, req.xid(), req.branchId(), status)));
    }
}
