package io.tessera.raft.group;

import static io.tessera.raft.group.ProposeTest.text;
import static io.tessera.raft.group.TestStamper.draft;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.alipay.sofa.jraft.util.RpcFactoryHelper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A group whose members talk mutual TLS on the raft port: everything a plain group does still works. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MemberTlsClusterTest {
    @TempDir
    Path dir;

    @Test
    void proposesForwardsReadsAndFailsOverWithTheLeaderWatchOverTls() throws Exception {
        assertInstanceOf(MemberRpcFactory.class, RpcFactoryHelper.rpcFactory(), "our SPI factory wins over jraft's");
        TestPki pki = new TestPki(dir.resolve("pki"));
        try (TestCluster c = new TestCluster(dir, 3).tls(i -> pki.member("n" + i)).startAll();
                LogCapture watchLog = new LogCapture(LeaderLossDetector.class)) {
            RaftGroup leader = c.waitLeader(Duration.ofSeconds(15));
            String r1 = text(leader.propose(draft("add x 5")).get(10, TimeUnit.SECONDS));
            assertTrue(r1.endsWith(" x=5"), r1);
            int f = c.followerIndexes().get(0);
            String r2 = text(c.group(f).propose(draft("add x 2")).get(10, TimeUnit.SECONDS));
            assertTrue(r2.endsWith(" x=7"), "forwarded over TLS, stamped and applied by the leader: " + r2);
            c.group(f).readBarrier().get(10, TimeUnit.SECONDS);
            assertEquals(7, c.target(f).value("x"), "a read barrier on a follower sees every earlier commit");
            c.ensureSame(Duration.ofSeconds(10));

            // The followers' watch connections are TLS sessions with the member certificate.
            List<Integer> followers = c.followerIndexes();
            await("watch sessions up").atMost(Duration.ofSeconds(10)).until(() -> followers.stream()
                    .allMatch(i -> c.group(i).leaderLossDetector().connected()));

            long oldTerm = leader.currentTerm();
            c.stop(c.indexOf(leader));

            await("a survivor saw the leader's port refuse").atMost(Duration.ofSeconds(10)).until(() -> followers
                    .stream().anyMatch(i -> c.group(i).leaderLossDetector().detections() > 0));
            RaftGroup fresh = c.waitLeader(Duration.ofSeconds(15));
            assertNotEquals(leader.selfEndpoint(), fresh.selfEndpoint());
            assertTrue(fresh.currentTerm() > oldTerm);
            assertFalse(watchLog.linesContaining("TLS handshake failed").iterator().hasNext(),
                    "members' handshakes never fail: " + watchLog.lines());
            int survivor = followers.stream().filter(i -> c.group(i) != fresh).findFirst().orElseThrow();
            String r3 = text(c.group(survivor).propose(draft("add x 1")).get(10, TimeUnit.SECONDS));
            assertTrue(r3.endsWith(" x=8"), r3);
            c.ensureSame(Duration.ofSeconds(10));
        }
    }

    @Test
    void tlsMembersAndAPlainMemberCannotReplicateToOrVoteForEachOther() throws Exception {
        TestPki pki = new TestPki(dir.resolve("pki"));
        // Members 0 and 1 speak TLS (a quorum of three), member 2 plain TCP.
        try (TestCluster c = new TestCluster(dir, 3).tls(i -> i < 2 ? pki.member("n" + i) : null);
                LogCapture transport = new LogCapture(Transport.class)) {
            c.startAll();
            await("a TLS leader").atMost(Duration.ofSeconds(20))
                    .until(() -> c.group(0).isLeader() || c.group(1).isLeader());
            RaftGroup leader = c.group(0).isLeader() ? c.group(0) : c.group(1);
            leader.propose(draft("add y 3")).get(10, TimeUnit.SECONDS);
            int other = c.indexOf(leader) == 0 ? 1 : 0;
            await().atMost(Duration.ofSeconds(10)).until(() -> c.target(other).value("y") == 3);

            // The TLS leader's appends reach no plain server, the plain member's votes reach no TLS server.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() ->
                    c.target(2).value("y") == 0 && c.group(2).leaderEndpoint().isEmpty()
                            && leader.isLeader() && c.group(other).leaderEndpoint()
                                    .equals(Optional.of(leader.selfEndpoint())));
            assertFalse(transport.linesContaining("refused a connection", "127.0.0.1").isEmpty(),
                    "the plain member's attempts are refused by the TLS members: " + transport.lines());
        }
    }
}
