package io.tessera.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator against a real in-process three-node cluster, briefly and at low load: every
 * started transaction is accounted for, the histogram has data, phase two was answered, the JSON
 * parses, and each run ends by itself. No timing assertions.
 */
@Timeout(180)
class LoadGeneratorTest {
    @TempDir
    static Path dir;

    private static BenchCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new BenchCluster(dir, 3).start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static BenchConfig config(int keySpace, int locksPerTx) {
        return new BenchConfig(cluster.transactionAddresses(), "bench-test", "bench-tx-group", 1, 2, 5_000, 60_000,
                keySpace, locksPerTx, 20, 20, 1_000, 100_000);
    }

    private static List<RunResult> run(BenchConfig config, List<Object[]> plan) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        return BenchCommand.run(config, new HealthProbe(cluster.controlAddresses()), plan, 1, 0.5, 2,
                new PrintStream(log, true));
    }

    private static void assertAccounted(RunResult r) {
        assertEquals(0, r.unfinished(), "every started transaction ended: " + r);
        assertEquals(r.started(), r.committed() + r.rolledBack() + r.conflicts() + r.errors(), r.toString());
        assertEquals(r.errors(), r.errorsByCode().values().stream().mapToLong(Long::longValue).sum());
        assertTrue(r.histogramCount() > 0, "latency recorded: " + r);
        assertTrue(r.p50Ms() > 0 && r.maxMs() >= r.p99Ms() && r.p99Ms() >= r.p50Ms(), r.toString());
    }

    @Test
    void closedLoopTccAndEmptyCommitEverythingThroughEveryNode() throws Exception {
        List<RunResult> results = run(config(1_000, 2), List.of(
                new Object[] {Workloads.Kind.TCC2, 4, 0.0},
                new Object[] {Workloads.Kind.EMPTY, 4, 0.0}));
        RunResult tcc = results.get(0);
        assertAccounted(tcc);
        assertEquals(0, tcc.errors(), tcc.errorsByCode().toString());
        assertEquals(tcc.started(), tcc.committed());
        assertTrue(tcc.phaseTwoCommits() > 0, "the RMs answered BranchCommit");
        // begin, 2 registers, commit decision, 2 phase-two results = 6 entries, give or take the
        // transactions straddling the window edges.
        assertTrue(tcc.raftEntriesPerTx() > 3 && tcc.raftEntriesPerTx() < 10, "entries/tx " + tcc.raftEntriesPerTx());

        RunResult empty = results.get(1);
        assertAccounted(empty);
        assertEquals(0, empty.errors(), empty.errorsByCode().toString());
        assertEquals(0, empty.phaseTwoCommits(), "no branches, no phase two");

        JsonNode json = new ObjectMapper().readTree(Report.json(results, Report.environment()));
        assertEquals(2, json.path("runs").size());
        assertEquals("tcc2", json.path("runs").get(0).path("workload").asText());
        assertEquals(tcc.committed(), json.path("runs").get(0).path("committed").asLong());
        assertTrue(Report.table(results).contains("| tcc2 | closed | 4 |"));
    }

    @Test
    void atOnTwoKeysConflictsAndTheMixRollsBackInOpenLoop() {
        // Every AT transaction locks both keys of a two-key space: concurrent ones must collide.
        List<RunResult> results = run(config(2, 2), List.of(
                new Object[] {Workloads.Kind.AT, 8, 0.0},
                new Object[] {Workloads.Kind.MIX, 0, 40.0}));
        RunResult at = results.get(0);
        assertAccounted(at);
        assertEquals(0, at.errors(), at.errorsByCode().toString());
        assertTrue(at.conflicts() > 0, "lock conflicts counted: " + at);
        assertTrue(at.committed() > 0, at.toString());

        RunResult mix = results.get(1);
        assertAccounted(mix);
        assertEquals("open", mix.mode());
        assertEquals(0, mix.errors(), mix.errorsByCode().toString());
        assertTrue(mix.rolledBack() > 0 && mix.committed() > 0, mix.toString());
        assertTrue(mix.phaseTwoRollbacks() > 0, "the RMs answered BranchRollback");
    }

    @Test
    void refusesNonLoopbackTargets() {
        assertThrows(IllegalArgumentException.class, () -> BenchConfig.defaults(
                List.of(new InetSocketAddress("192.0.2.1", 8091))));
    }
}
