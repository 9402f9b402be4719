package io.tessera.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real seata-all TM + TCC RM driven by a few threads against a real three-node cluster, briefly. */
@Timeout(180)
class SeataClientBenchTest {
    @TempDir
    Path dir;

    @Test
    void realClientCommitsTwoBranchTccTransactionsAndAccountsForAll() throws Exception {
        try (BenchCluster cluster = new BenchCluster(dir, 3).start()) {
            SeataClientBench bench = new SeataClientBench();
            bench.targets = cluster.transactionAddresses().stream().map(a -> "127.0.0.1:" + a.getPort())
                    .collect(Collectors.joining(","));
            bench.threads = 2;
            bench.warmup = 2;
            bench.duration = 2;
            RunResult r = bench.run();
            assertEquals(0, r.errors(), r.errorsByCode().toString());
            assertTrue(r.committed() > 0, r.toString());
            assertEquals(0, r.unfinished(), r.toString());
            assertEquals(r.started(), r.committed());
            assertTrue(r.histogramCount() > 0 && r.phaseTwoCommits() > 0, r.toString());
        }
    }
}
