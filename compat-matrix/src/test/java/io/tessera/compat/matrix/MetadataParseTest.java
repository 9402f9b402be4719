package io.tessera.compat.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.coordinator.testing.ControlHttp;
import io.tessera.coordinator.testing.TestSecurity;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code GET /metadata/v1/cluster} of a real node, read by every raft-registry client release exactly
 * as its RaftRegistryServiceImpl reads it: a default Jackson ObjectMapper (unknown fields fail) into
 * that release's own MetadataResponse, then that release's Metadata.refreshMetadata, which must find the
 * leader and its transaction address. Each release is loaded from its own jar in a class loader of its
 * own; Jackson is ours (2.17, as in the matrix clients).
 */
@ExtendWith(SharedCluster.class)
class MetadataParseTest {
    private static String answer;
    private static int leaderTransactionPort;

    @BeforeAll
    static void readTheAnswer(MatrixCluster cluster) {
        int leader = cluster.leaderIndex();
        leaderTransactionPort = cluster.transactionPort(leader);
        ControlHttp http = cluster.control((leader + 1) % cluster.size());
        // The client's first call names no group.
        ControlHttp.Reply reply = http.get("/metadata/v1/cluster?group=", http.token(TestSecurity.CLIENT));
        assertEquals(200, reply.status(), reply.body());
        answer = reply.body();
    }

    static Stream<ClientRelease> raftReleases() {
        return Stream.of(ClientRelease.values()).filter(ClientRelease::hasRaftRegistry);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("raftReleases")
    void theReleasesOwnClassesReadTheAnswerAndFindTheLeader(ClientRelease release) throws Exception {
        try (URLClassLoader loader = new URLClassLoader(jars(release), getClass().getClassLoader())) {
            String pkg = release.pkg() + ".common.metadata.";
            Class<?> responseType = Class.forName(pkg + "MetadataResponse", true, loader);
            Object response = new ObjectMapper().readValue(answer, responseType);

            Class<?> metadataType = Class.forName(pkg + "Metadata", true, loader);
            Object metadata = metadataType.getConstructor().newInstance();
            metadataType.getMethod("refreshMetadata", String.class, responseType).invoke(metadata, "default", response);
            Object leader = metadataType.getMethod("getLeader", String.class).invoke(metadata, "default");
            assertNotNull(leader, release + " found no leader in " + answer);
            Object transaction = call(leader, "getTransaction");
            assertEquals(leaderTransactionPort, call(transaction, "getPort"), answer);
            assertEquals("127.0.0.1", call(transaction, "getHost"));
            assertEquals(3, ((List<?>) metadataType.getMethod("getNodes", String.class).invoke(metadata, "default"))
                    .size());
            assertEquals("RAFT", String.valueOf(call(metadata, "getStoreMode")));
        }
    }

    private static Object call(Object target, String getter) throws ReflectiveOperationException {
        Method m = target.getClass().getMethod(getter);
        return m.invoke(target);
    }

    private static URL[] jars(ClientRelease release) throws IOException {
        Path releaseDir = Path.of(System.getProperty("matrix.clientsDir"), release.version());
        try (Stream<Path> files = Files.list(releaseDir)) {
            return files.map(p -> {
                try {
                    return p.toUri().toURL();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toArray(URL[]::new);
        }
    }
}
