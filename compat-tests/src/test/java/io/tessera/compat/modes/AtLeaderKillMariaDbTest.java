package io.tessera.compat.modes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.compat.failover.KillableCluster;
import io.tessera.compat.modes.Bank.Outcome;
import io.tessera.compat.modes.Bank.Transfer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * AT money transfers on MariaDB (MySQL dialect) against three node PROCESSES, with the leader killed
 * (kill -9) while transfers run. The client uses the raft registry, as after a leader change it must
 * find the new leader by itself. Whatever each transfer's fate, money is conserved, every transfer is in
 * both databases or in neither (as the client was told when it was told), and nothing is left: no
 * undo_log rows, no global locks, no live transactions.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class AtLeaderKillMariaDbTest {
    @TempDir
    Path dir;

    @Test
    void transfersSurviveALeaderKill() throws Exception {
        try (MariaDbServer db = MariaDbServer.start(dir.resolve("db"));
                KillableCluster cluster = KillableCluster.start(dir.resolve("cluster"), "modes-leader-kill-logs");
                ModesClient client = ModesClient.startWithRaftRegistry(cluster.controlAddresses(),
                        cluster.registryUsername(), cluster.registryPassword())) {
            System.out.println("MODES AT leader kill on " + db.version());
            Bank bank = new Bank(db);
            Bank.Load load = bank.load(4, 7);
            await().atMost(Duration.ofSeconds(60)).until(() -> load.committed() >= 10);
            long beforeKill = load.committed();
            long killAt = System.nanoTime();
            String victim = cluster.killLeader();
            // Transfers keep committing through the new leader.
            await().atMost(Duration.ofSeconds(90)).until(() -> load.committed() >= beforeKill + 10);
            long recoveredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killAt);
            List<Transfer> transfers = load.stop();
            System.out.println("MODES AT leader kill: killed " + victim + " after " + beforeKill
                    + " commits; 10 more commits " + recoveredMs + " ms after the kill; " + Bank.summary(transfers));
            transfers.stream().filter(t -> t.outcome() == Outcome.UNKNOWN)
                    .forEach(t -> System.out.println("MODES AT leader kill: unknown outcome " + t));
            // Transfers whose rollback could not be sent end by the coordinator's timeout (Bank.TX_TIMEOUT_MS).
            cluster.awaitNoLocksOrLiveTransactions(Duration.ofSeconds(60));
            java.util.Set<String> markers = bank.awaitNoUndoLogs();
            System.out.println("MODES AT leader kill: rollback markers (undo_log log_status 1) of " + markers);
            Bank.checkMarkers(markers, transfers);
            bank.check(transfers);
            assertTrue(transfers.stream().anyMatch(t -> t.intendedRollback() && t.outcome() == Outcome.ROLLED_BACK),
                    "an intended rollback happened: " + Bank.summary(transfers));
        }
    }
}
