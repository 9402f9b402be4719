package io.tessera.coordinator.tc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.codec.RpcFrame;
import io.tessera.codec.message.GlobalBeginRequest;
import io.tessera.codec.message.GlobalBeginResponse;
import io.tessera.codec.message.GlobalEndRequest;
import io.tessera.codec.message.GlobalEndResponse;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.message.ResultCode;
import io.tessera.coordinator.testing.LocalCluster;
import io.tessera.coordinator.testing.RawClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: after a leaderless gap longer than the decision budget, GlobalCommit was answered Failed with
 * status Finished - which a Seata TM takes as final ("may be rolled back") and never retries - although
 * nothing had decided the transaction. A TM must never hear a final-looking answer for an undecided
 * transaction: the commit is left unanswered, so the TM's own RPC timeout makes it ask again, and the
 * retry (once a leader is back) hears the truth.
 */
@Timeout(120)
class UndecidedCommitTest {
    @TempDir
    Path dir;

    @Test
    void commitDuringALeaderlessGapIsNotAnsweredAndItsRetryHearsTheOutcome() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, 3, new TcOptions(4_000, 2_000, 200, 500, 60_000, 60_000)).start(); RawClient tm = new RawClient(cluster.transactionPort(cluster.followerIndex()))) {
            int survivor = cluster.followerIndex();
            tm.registerTm("orders", "2.5.0");
            int b = tm.request(new GlobalBeginRequest(60_000, "gap"));
            GlobalBeginResponse begun = assertInstanceOf(GlobalBeginResponse.class, tm.next(Duration.ofSeconds(10)).body());
            assertEquals(ResultCode.Success, begun.resultCode(), begun.msg());
            String xid = begun.xid();
            // Leave the survivor without a quorum: no leader, so nothing can decide the transaction.
            for (int i = 0; i < cluster.size(); i++) {
                if (i != survivor) {
                    cluster.stop(i);
                }
            }

            int c = tm.request(new GlobalEndRequest(GlobalEndRequest.Kind.COMMIT, xid, null));
            Optional<RpcFrame> heard = tm.poll(Duration.ofMillis(cluster.node(survivor).config().requestTimeoutMs() + 2_000L));
            assertTrue(heard.isEmpty(), () -> "an undecided commit was answered: " + heard.get().body()
                    + " (request " + c + ")");

            // A leader again: the TM's retry (after its own RPC timeout) hears the real outcome.
            cluster.start(survivor == 0 ? 1 : 0);
            int retry = tm.request(new GlobalEndRequest(GlobalEndRequest.Kind.COMMIT, xid, null));
            RpcFrame answer = tm.next(Duration.ofSeconds(30));
            if (answer.requestId() == c) {
                // The first request may still be answered once its outcome is known: then it is the truth.
                assertEquals(GlobalStatus.Committed, ((GlobalEndResponse) answer.body()).globalStatus());
                answer = tm.next(Duration.ofSeconds(30));
            }
            assertEquals(retry, answer.requestId());
            GlobalEndResponse r = assertInstanceOf(GlobalEndResponse.class, answer.body());
            assertEquals(GlobalStatus.Committed, r.globalStatus(), r.toString());
        }
    }
}
