package io.tessera.coordinator.membership;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.coordinator.config.MemberSpec;
import io.tessera.coordinator.tc.TcOptions;
import io.tessera.coordinator.testing.ControlHttp;
import io.tessera.coordinator.testing.LocalCluster;
import io.tessera.coordinator.testing.TestSecurity;
import io.tessera.raft.tx.MemberRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Online membership on real nodes in one JVM (jraft with member TLS, RocksDB, the control port over
 * sockets): the admin API on any node has the leader add, remove and replace members and move the
 * leadership; every node's /health and registry metadata show the change at once and release held
 * watches; the member directory carries endpoints no node was configured with; a graceful stop of the
 * leader hands leadership over before the ports close.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class MembershipClusterTest {
    private static final TcOptions FAST = new TcOptions(4_000, 2_000, 200, 500, 60_000, 60_000);
    private static final String MEMBERS = "/admin/v1/members";
    private static final String METADATA = "/metadata/v1/cluster?group=default";

    @TempDir
    Path dir;

    private static String json(String member) {
        return "{\"member\":\"" + member + "\",\"timeoutMs\":60000}";
    }

    private static Set<String> healthMembers(LocalCluster c, int i) {
        JsonNode h = c.control(i).get("/health", null).json();
        return StreamSupport.stream(h.get("members").spliterator(), false)
                .map(m -> m.get("nodeId").asText() + ":" + m.get("role").asText()).collect(Collectors.toSet());
    }

    private static Set<String> ids(LocalCluster c, int i) {
        return healthMembers(c, i).stream().map(s -> s.substring(0, s.indexOf(':'))).collect(Collectors.toSet());
    }

    @Test
    void addPromotesAJoiningNodePublishesItEverywhereAndRemoveTakesItOut() throws Exception {
        try (LocalCluster c = new LocalCluster(dir, 3, FAST).start()) {
            int leader = c.leaderIndex();
            c.awaitTokenKey();
            // The first leader recorded the configured members in the directory.
            await().atMost(Duration.ofSeconds(10)).until(() -> c.node(0).stateMachine().view().members().size() == 3);

            int joiner = c.addNode();
            c.start(joiner);
            MemberSpec spec = c.members().get(joiner);
            assertEquals("UNKNOWN", c.control(joiner).get("/health", null).json().get("role").asText(),
                    "a joining node is nobody's member yet");

            int follower = c.followerIndexes().get(0);
            ControlHttp f = c.control(follower);
            String admin = f.token(TestSecurity.ADMIN);
            String client = f.token(TestSecurity.CLIENT);
            // Seata's client, watching a follower at the current term, is released by the change.
            long term = f.get(METADATA, client).json().get("term").asLong();
            CompletableFuture<ControlHttp.Reply> watch = CompletableFuture.supplyAsync(() -> f.post(
                    "/metadata/v1/watch", client, "application/x-www-form-urlencoded", "default=" + term));
            await("the watch is held before the change").during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                    .until(() -> !watch.isDone());

            assertEquals(403, f.post(MEMBERS + "/add", client, "application/json", json(spec.toString())).status(),
                    "membership needs the admin role");
            ControlHttp.Reply added = f.post(MEMBERS + "/add", admin, "application/json", json(spec.toString()));
            assertEquals(200, added.status(), added.body());
            assertEquals(200, watch.get(10, TimeUnit.SECONDS).status(), "the held watch was released");

            for (int i : c.runningIndexes()) {
                int node = i;
                await().atMost(Duration.ofSeconds(10)).until(() -> healthMembers(c, node).contains(spec.id() + ":FOLLOWER"));
            }
            // The registry metadata of an original node lists the new member with its ports (from the
            // directory: node1 was never configured with node4).
            JsonNode nodes = c.control(0).get(METADATA, c.control(0).token(TestSecurity.CLIENT)).json().get("nodes");
            assertEquals(4, nodes.size(), nodes.toString());
            assertTrue(nodes.toString().contains("\"port\":" + spec.transactionPort()), nodes.toString());
            c.awaitSameState();
            assertEquals(leader, c.leaderIndex(), "adding a member moves no leadership");

            // Listing shows every member with its applied index.
            JsonNode list = f.get(MEMBERS, admin).json().get("data").get("members");
            assertEquals(4, list.size(), list.toString());
            list.forEach(m -> assertFalse(m.get("appliedIndex").isNull(), m.toString()));

            // Remove it again, through another node.
            ControlHttp.Reply removed = c.control(joiner).post(MEMBERS + "/remove", c.control(joiner).token(TestSecurity.ADMIN),
                    "application/json", json(spec.id()));
            assertEquals(200, removed.status(), removed.body());
            for (int i = 0; i < 3; i++) {
                int node = i;
                await().atMost(Duration.ofSeconds(10)).until(() -> !ids(c, node).contains(spec.id()));
            }
            assertTrue(c.node(0).stateMachine().view().members().stream().map(MemberRecord::nodeId)
                    .noneMatch(spec.id()::equals), "the directory entry went with it");
            c.stop(joiner);
        }
    }

    @Test
    void removingTheLeaderHandsLeadershipOverAndReplaceKeepsAMajority() throws Exception {
        try (LocalCluster c = new LocalCluster(dir, 3, FAST).start()) {
            int leader = c.leaderIndex();
            c.awaitTokenKey();
            long termBefore = c.node(leader).group().currentTerm();
            ControlHttp l = c.control(leader);
            String admin = l.token(TestSecurity.ADMIN);

            // Replace the leader by a new node: add first (4 voters), then remove (3), the leader last.
            int fresh = c.addNode();
            c.start(fresh);
            MemberSpec spec = c.members().get(fresh);
            String oldId = c.members().get(leader).id();
            ControlHttp.Reply replaced = l.post(MEMBERS + "/replace", admin, "application/json",
                    "{\"old\":\"" + oldId + "\",\"member\":\"" + spec + "\"}");
            assertEquals(200, replaced.status(), replaced.body());
            assertTrue(replaced.json().get("message").asText().contains("leadership handed to"), replaced.body());

            int newLeader = await().atMost(Duration.ofSeconds(10)).until(() -> {
                for (int i : c.runningIndexes()) {
                    if (i != leader && c.node(i).group().isLeader()) {
                        return i;
                    }
                }
                return -1;
            }, i -> i >= 0);
            assertEquals(termBefore + 1, c.node(newLeader).group().currentTerm(),
                    "one hand-over, no election rounds");
            for (int i : c.runningIndexes()) {
                if (i == leader) {
                    continue;
                }
                int node = i;
                await().atMost(Duration.ofSeconds(10)).until(() -> ids(c, node)
                        .equals(Set.of(c.members().get(0).id(), c.members().get(1).id(), c.members().get(2).id(),
                                spec.id()).stream().filter(id -> !id.equals(oldId)).collect(Collectors.toSet())));
            }
            c.stop(leader);

            // Leadership moves on request, and back.
            ControlHttp n = c.control(newLeader);
            String admin2 = n.token(TestSecurity.ADMIN);
            ControlHttp.Reply moved = n.post(MEMBERS + "/transfer-leader", admin2, "application/json",
                    "{\"member\":\"" + spec.id() + "\"}");
            assertEquals(200, moved.status(), moved.body());
            await().atMost(Duration.ofSeconds(10)).until(() -> c.node(fresh).group().isLeader());
        }
    }

    @Test
    void seataChangeClusterAndRefusals() throws Exception {
        try (LocalCluster c = new LocalCluster(dir, 3, FAST).start()) {
            c.leaderIndex();
            c.awaitTokenKey();
            ControlHttp any = c.control(c.followerIndex());
            String admin = any.token(TestSecurity.ADMIN);

            // A node that does not run cannot be added; one that is not who the request says is refused.
            int joiner = c.addNode();
            MemberSpec spec = c.members().get(joiner);
            // (A node that does not answer may still be starting: it is asked again until the request's timeout.)
            ControlHttp.Reply notRunning = any.post(MEMBERS + "/add", admin, "application/json",
                    "{\"member\":\"" + spec + "\",\"timeoutMs\":2000}");
            assertEquals(409, notRunning.status(), notRunning.body());
            assertTrue(notRunning.json().get("message").asText().contains("cluster.join=true"), notRunning.body());
            c.start(joiner);
            MemberSpec liar = new MemberSpec("node9", spec.host(), spec.controlPort(), spec.transactionPort(),
                    spec.raftPort());
            ControlHttp.Reply wrong = any.post(MEMBERS + "/add", admin, "application/json", json(liar.toString()));
            assertEquals(409, wrong.status(), wrong.body());
            assertEquals(404, any.post(MEMBERS + "/remove", admin, "application/json", json("node42")).status());
            assertEquals(400, any.post(MEMBERS + "/add", admin, "application/json", json("not-a-spec")).status());

            // Seata's route: the wanted voters by raft endpoint; the new one says who it is.
            List<String> voters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                voters.add(c.members().get(i).raft().toString());
            }
            voters.add(spec.raft().toString());
            assertEquals(403, any.post("/metadata/v1/changeCluster?raftClusterStr=" + String.join(",", voters),
                    any.token(TestSecurity.CLIENT), null, null).status());
            ControlHttp.Reply changed = any.post("/metadata/v1/changeCluster?raftClusterStr=" + String.join(",", voters),
                    admin, null, null);
            assertEquals(200, changed.status(), changed.body());
            await().atMost(Duration.ofSeconds(10)).until(() -> ids(c, 0).contains(spec.id()));

            // And back to three: the one not named is removed.
            voters.remove(c.members().get(1).raft().toString());
            ControlHttp.Reply shrunk = c.control(joiner).post("/metadata/v1/changeCluster", c.control(joiner)
                    .token(TestSecurity.ADMIN), "application/x-www-form-urlencoded", "raftClusterStr=" + String.join(",", voters));
            assertEquals(200, shrunk.status(), shrunk.body());
            await().atMost(Duration.ofSeconds(10)).until(() -> !ids(c, joiner).contains(c.members().get(1).id()));
            // The removed node no longer receives the log.
            c.stop(1);
            c.awaitSameState();
        }
    }

    @Test
    void aGracefulStopOfTheLeaderHandsLeadershipOverBeforeThePortsClose() throws Exception {
        try (LocalCluster c = new LocalCluster(dir, 3, FAST).start()) {
            int leader = c.leaderIndex();
            c.awaitTokenKey();
            long term = c.node(leader).group().currentTerm();
            String leaderEndpoint = c.node(leader).group().selfEndpoint();
            c.stopGracefully(leader);
            // The successor was elected by the hand-over (term + 1) while the old leader was still up.
            int next = c.leaderIndex();
            assertNotEquals(leader, next);
            assertEquals(term + 1, c.node(next).group().currentTerm());
            assertFalse(c.node(next).group().leaderEndpoint().filter(leaderEndpoint::equals).isPresent());
            c.start(leader);
            c.awaitSameState();
        }
    }
}
