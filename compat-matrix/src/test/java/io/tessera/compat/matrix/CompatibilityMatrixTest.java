package io.tessera.compat.matrix;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tessera.compat.matrix.Cell.Registry;
import io.tessera.compat.matrix.Cell.Serializer;
import io.tessera.coordinator.testing.TestSecurity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Every client release × registry × serializer against one real three-node cluster in this JVM, each
 * cell with the unmodified client in a JVM of its own (see {@link ClientJvm}): register, begin, a
 * two-branch TCC commit and a rollback, checked on the client (statuses, phase two on both branches)
 * and on every node (the replicated final status). Serializers Tessera does not speak must be refused
 * as {@link #expected} says. After the run the table of docs/compatibility.md is compared with what was
 * observed; {@code -Dcompat.matrix.updateDocs=true} rewrites it instead.
 */
@ExtendWith(SharedCluster.class)
@Execution(ExecutionMode.CONCURRENT) // cells are independent: own client JVM, own resource ids and xids
class CompatibilityMatrixTest {
    static final String GROUP = "matrix-tx-group";
    /** Request timeout of the refusal cells: a client that cannot read the refusal waits this long per node. */
    private static final String REFUSAL_TIMEOUT_MS = "1500";

    private static final Path LOGS = Path.of("target", "compat-matrix");
    private static final Path DOC = Path.of("..", "docs", "compatibility.md");
    private static final Map<Cell, Outcome> observed = new ConcurrentHashMap<>();

    private static MatrixCluster cluster;
    private final ClientJvm jvm = new ClientJvm();

    @BeforeAll
    static void cluster(MatrixCluster shared) {
        cluster = shared;
    }

    @AfterAll
    static void checkTheTable() throws IOException {
        if (observed.size() < allCells().size()) {
            return; // a partial run (-Dmatrix.cells=…) says nothing about the whole table
        }
        String table = CompatibilityTable.render(observed);
        Files.createDirectories(LOGS);
        Files.writeString(LOGS.resolve("compatibility-table.md"), table);
        String doc = CompatibilityTable.read(DOC);
        String regenerated = CompatibilityTable.withTable(doc, table);
        if (Boolean.getBoolean("compat.matrix.updateDocs")) {
            Files.writeString(DOC, regenerated);
        } else {
            assertEquals(doc, regenerated, "docs/compatibility.md is not what this run observed; regenerate with "
                    + "mvn -B -ntp -pl compat-matrix -am verify -Dtest=CompatibilityMatrixTest "
                    + "-Dsurefire.failIfNoSpecifiedTests=false -Dcompat.matrix.updateDocs=true");
        }
    }

    /** The cells to run: all, or those whose id matches the regex {@code -Dmatrix.cells} (for a quick look). */
    static List<Cell> cells() {
        String only = System.getProperty("matrix.cells", "");
        return allCells().stream().filter(c -> only.isEmpty() || c.id().matches(only)).toList();
    }

    /** The cells of the matrix; raft only where the release has the raft registry, PROTOBUF only where published. */
    static List<Cell> allCells() {
        List<Cell> cells = new ArrayList<>();
        for (ClientRelease r : ClientRelease.values()) {
            List<Registry> registries = r.hasRaftRegistry() ? List.of(Registry.FILE, Registry.RAFT) : List.of(Registry.FILE);
            for (Registry registry : registries) {
                cells.add(cell(r, registry, Serializer.SEATA));
                if (r.protobufJar().isPresent()) {
                    cells.add(cell(r, registry, Serializer.PROTOBUF));
                }
            }
            cells.add(cell(r, Registry.FILE, Serializer.KRYO));
            cells.add(cell(r, Registry.FILE, Serializer.HESSIAN));
        }
        return cells;
    }

    private static Cell cell(ClientRelease release, Registry registry, Serializer serializer) {
        return new Cell(release, registry, serializer, expected(release, registry, serializer));
    }

    /** What each cell must do: the behaviour docs/compatibility.md describes. */
    static Outcome expected(ClientRelease release, Registry registry, Serializer serializer) {
        if (serializer == Serializer.KRYO && (release == ClientRelease.IO_1_8_0 || release == ClientRelease.IO_2_0_0)) {
            // Their Kryo allow-list scans io/seata/core/protocol as a directory, which finds nothing
            // inside seata-all's jar: "Class is not registered", whatever the coordinator.
            return Outcome.CLIENT_CANNOT_SEND;
        }
        if (!serializer.supported()) {
            // Up to 2.0.0 a client decodes any codec it has (SEATA always); from 2.1.0 only those in its
            // transport.serialization list, which here is the one foreign serializer.
            return release.pkg().equals("io.seata") ? Outcome.REFUSED_WITH_REASON : Outcome.REFUSED_AFTER_TIMEOUT;
        }
        if (registry == Registry.RAFT && release == ClientRelease.IO_2_0_0) {
            // 2.0.0's raft client cannot log in, and Tessera's metadata needs the client role's token.
            return Outcome.NO_COORDINATOR_FOUND;
        }
        return Outcome.WORKS;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    void cell(Cell cell) {
        Outcome outcome = cell.serializer().supported() ? scenario(cell) : refusal(cell);
        observed.put(cell, outcome);
        assertEquals(cell.expected(), outcome, cell.id() + ": see " + LOGS.resolve(cell.id() + ".log"));
    }

    private Outcome scenario(Cell cell) {
        ClientJvm.Run run = jvm.run(cell, "scenario", seataConfig(cell, "10000"), LOGS);
        assertEquals(cell.release().version(), run.get("clientVersion"), "release on the client's classpath");
        if (run.exitCode() != 0) {
            return cell.registry() == Registry.RAFT && noAddress(run) ? Outcome.NO_COORDINATOR_FOUND : Outcome.FAILED;
        }
        assertEquals("Committed", run.get("commit.status"));
        assertEquals("Rollbacked", run.get("rollback.status"));
        awaitEndedEverywhere(run.get("commit.xid"), "Committed");
        awaitEndedEverywhere(run.get("rollback.xid"), "Rollbacked");
        return Outcome.WORKS;
    }

    /**
     * The TM's registration, and where the client can read the answer the RM's too: both must show the
     * reason. Elsewhere the RM would only add timeouts to the run.
     */
    private Outcome refusal(Cell cell) {
        Map<String, String> config = seataConfig(cell, REFUSAL_TIMEOUT_MS);
        boolean rmToo = cell.expected() == Outcome.REFUSED_WITH_REASON;
        config.put("matrix.refusedRm", Boolean.toString(rmToo));
        ClientJvm.Run run = jvm.run(cell, "refused", config, LOGS);
        assertEquals(cell.release().version(), run.get("clientVersion"), "release on the client's classpath");
        if (run.exitCode() != 0 || run.get("refused.ms").isEmpty()) {
            return Outcome.FAILED;
        }
        if (run.log().contains("Encode request error!")) {
            return Outcome.CLIENT_CANNOT_SEND;
        }
        String reason = "(Tessera refuses the " + cell.serializer().name() + " serializer";
        boolean reasonShown = hasLine(run, "register TM failed.", reason)
                && (!rmToo || hasLine(run, "register RM failed.", reason));
        // Seata logs "wait response error: … cost: N ms" when a request (here: the registration) times out.
        boolean timedOut = run.log().contains("wait response error");
        if (reasonShown && !timedOut) {
            return Outcome.REFUSED_WITH_REASON;
        }
        return !reasonShown && timedOut ? Outcome.REFUSED_AFTER_TIMEOUT : Outcome.FAILED;
    }

    private static boolean hasLine(ClientJvm.Run run, String text, String andText) {
        return run.log().lines().anyMatch(l -> l.contains(text) && l.contains(andText));
    }

    private static boolean noAddress(ClientJvm.Run run) {
        String error = run.get("error").toLowerCase();
        return error.contains("no available service") || error.contains("can not get cluster name");
    }

    private static Map<String, String> seataConfig(Cell cell, String requestTimeoutMs) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("registry.type", cell.registry().seataName);
        if (cell.registry() == Registry.FILE) {
            c.put("service.default.grouplist", cluster.transactionAddresses());
        } else {
            c.put("registry.raft.serverAddr", cluster.controlAddresses());
            c.put("registry.raft.username", TestSecurity.CLIENT.username());
            c.put("registry.raft.password", TestSecurity.CLIENT.password());
        }
        c.put("transport.serialization", cell.serializer().seataName);
        c.put("transport.rpcTmRequestTimeout", requestTimeoutMs);
        c.put("transport.rpcRmRequestTimeout", requestTimeoutMs);
        return c;
    }

    private static void awaitEndedEverywhere(String xid, String status) {
        await().atMost(Duration.ofSeconds(20)).until(() -> IntStream.range(0, cluster.size())
                .allMatch(i -> cluster.endedStatus(i, xid).filter(status::equals).isPresent()));
    }
}
