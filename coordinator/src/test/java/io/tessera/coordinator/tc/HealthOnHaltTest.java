package io.tessera.coordinator.tc;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.coordinator.testing.ControlHttp;
import io.tessera.coordinator.testing.LocalCluster;
import io.tessera.raft.tx.TxCommands;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/**
 * A replica whose store fails stops applying (the state machine halts) and says so on /health with 503 and
 * the reason, while the healthy members answer 200. The failure is real: a stored row of the follower is
 * corrupted on disk while it is down, and the next entry touching it cannot be applied there.
 */
@Timeout(120)
class HealthOnHaltTest {
    private static final TcOptions FAST = new TcOptions(4_000, 2_000, 200, 500, 60_000, 60_000);

    @TempDir
    Path dir;

    @Test
    void aHaltedNodeAnswers503WithTheReasonTheOthers200() throws Exception {
        TxCommands commands = new TxCommands();
        try (LocalCluster cluster = new LocalCluster(dir, 3, FAST).start()) {
            int leader = cluster.leaderIndex();
            String xid = io.tessera.raft.tx.TxOutcome.decode(cluster.node(leader).group()
                    .propose(commands.begin("127.0.0.1:8091", "app", "grp", "halt", 60_000).toByteArray())
                    .get(10, TimeUnit.SECONDS)).xid();
            cluster.awaitSameState();
            int victim = cluster.followerIndex();
            cluster.stop(victim);
            corruptGlobal(cluster.dataDir(victim).resolve("state").resolve("db"), xid);
            cluster.start(victim);
            await().atMost(Duration.ofSeconds(20)).until(() -> cluster.node(victim).group().leaderEndpoint().isPresent());

            leader = cluster.leaderIndex();
            cluster.node(leader).group().propose(commands.commit(xid).toByteArray()).get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(20)).until(() -> cluster.node(victim).group().isHalted());

            ControlHttp.Reply halted = cluster.control(victim).get("/health", null);
            assertEquals(503, halted.status());
            JsonNode h = halted.json();
            assertEquals("halted", h.get("status").asText());
            String reason = h.get("reason").asText();
            assertTrue(reason.contains("undecodable stored global"), reason);
            assertTrue(reason.contains("restart this node once the cause (e.g. disk full) is fixed"), reason);
            assertTrue(h.has("role") && h.has("term") && h.has("leader"), halted.body());
            // Readiness takes it out of rotation with the same reason; liveness does not ask for a restart loop.
            ControlHttp.Reply notReady = cluster.control(victim).get("/health/ready", null);
            assertEquals(503, notReady.status());
            assertTrue(notReady.json().get("reasons").toString().contains("the state machine halted"), notReady.body());
            assertEquals(200, cluster.control(victim).get("/health/live", null).status());

            for (int i = 0; i < cluster.size(); i++) {
                if (i != victim) {
                    ControlHttp.Reply ok = cluster.control(i).get("/health", null);
                    assertEquals(200, ok.status(), "node " + i);
                    assertEquals("ok", ok.json().get("status").asText());
                }
            }
        }
    }

    /** Overwrites the stored global {@code xid} with bytes protobuf cannot decode (a corrupt block). */
    private static void corruptGlobal(Path db, String xid) throws Exception {
        List<byte[]> names;
        try (Options o = new Options()) {
            names = RocksDB.listColumnFamilies(o, db.toString());
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions();
                RocksDB rocks = RocksDB.open(options, db.toString(),
                        names.stream().map(ColumnFamilyDescriptor::new).toList(), handles)) {
            for (ColumnFamilyHandle h : handles) {
                if (new String(h.getName(), StandardCharsets.UTF_8).equals("globals")) {
                    rocks.put(h, xid.getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
                }
            }
            handles.forEach(ColumnFamilyHandle::close);
        }
    }
}
