package io.tessera.raft.group;

import static io.tessera.raft.group.TestStamper.draft;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProposeTest {
    @TempDir
    Path dir;

    @Test
    void leaderProposalReturnsItsApplyResultOnEveryReplica() throws Exception {
        try (TestCluster c = new TestCluster(dir, 3).startAll()) {
            RaftGroup leader = c.waitLeader(Duration.ofSeconds(15));
            String r1 = text(leader.propose(draft("add x 5")).get(10, TimeUnit.SECONDS));
            String r2 = text(leader.propose(draft("add x 2")).get(10, TimeUnit.SECONDS));
            long term = leader.currentTerm();
            assertTrue(r1.matches("id=\\d+ term=" + term + " x=5"), r1);
            assertTrue(r2.endsWith(" x=7"), r2);
            c.ensureSame(Duration.ofSeconds(10));
            for (int i = 0; i < c.size(); i++) {
                assertEquals(7, c.target(i).value("x"));
            }
        }
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
