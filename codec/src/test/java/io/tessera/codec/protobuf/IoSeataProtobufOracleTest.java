package io.tessera.codec.protobuf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.codec.message.BatchResultMessage;
import io.tessera.codec.message.BranchEndResponse;
import io.tessera.codec.message.BranchReportRequest;
import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.MergeResultMessage;
import io.tessera.codec.message.MergedWarpMessage;
import io.tessera.codec.message.Message;
import io.tessera.codec.oracle.IoSeataProtobufSerializer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property test with the real io.seata seata-serializer-protobuf 1.5.2, 1.8.0 and 2.0.0 (each with its
 * own seata-all message classes) as the judge of the io.seata naming: for every message type, seeded
 * random records are encoded by us in that naming, read by the release's serializer into its own message
 * object, written back by it, and must come back byte for byte; our decoder reads its bytes back to the
 * record and says the body was io.seata-named. Identical bytes after a trip through the release's
 * converters mean it read every field we wrote, with our numbers and types.
 * Re-run a failure with -Dtessera.protobuf.seed=&lt;seed printed in the message&gt;.
 */
class IoSeataProtobufOracleTest {

    private static final long SEED = Long.getLong("tessera.protobuf.seed", 0x10_5eaL);
    private static final int CASES = 40;
    private static final Path JARS = Path.of(System.getProperty("tessera.ioSeataProtobufDir", "target/io-seata-protobuf"));
    private static final String PREFIX = "io.seata.protocol.protobuf.";

    private final ProtobufBodyCodec codec = new ProtobufBodyCodec();

    static Stream<Arguments> releasesAndKinds() {
        return Stream.of("1.5.2", "1.8.0", "2.0.0").map(v -> new IoSeataProtobufSerializer(JARS, v))
                .flatMap(s -> Stream.of(RandomRecords.Kind.values()).map(k -> Arguments.of(s, k)));
    }

    @ParameterizedTest(name = "io.seata {0} {1}")
    @MethodSource("releasesAndKinds")
    void theReleaseReadsAndWritesOurIoSeataBodies(IoSeataProtobufSerializer seata, RandomRecords.Kind kind) {
        Random seeds = new Random(SEED + kind.ordinal());
        int checked = 0;
        for (int i = 0; i < CASES; i++) {
            long caseSeed = seeds.nextLong();
            Message expected = WireExpectations.expected(kind.generate(new RandomRecords(new Random(caseSeed))));
            if (!WireExpectations.referenceCanEncode(expected) || !ioSeataKnows(expected)) {
                continue;
            }
            String what = "io.seata " + seata.version() + " " + kind + " case " + i + " (seed " + SEED
                    + ", case seed " + caseSeed + ")";
            byte[] ours = codec.encode(expected, ProtoNaming.IO_SEATA);
            assertTrue(name(ours).startsWith(PREFIX), what + ": name " + name(ours));

            byte[] theirs = seata.serialize(seata.deserialize(ours));
            assertArrayEquals(ours, theirs, what + ": bytes after a trip through the release's classes");
            ProtobufBodyCodec.Named back = codec.decodeNamed(theirs);
            assertEquals(expected, back.message(), what + ": our decode of the release's bytes");
            assertEquals(ProtoNaming.IO_SEATA, back.naming(), what);
            checked++;
        }
        assertTrue(checked > CASES / 2, kind + ": only " + checked + " cases the release can carry");
    }

    /**
     * PhaseOne_RDONLY (13) came with org.apache.seata 2.2.0: io.seata's BranchStatus has no such value,
     * so an io.seata client can never report it or answer a branch commit with it (both messages come
     * from the client; a coordinator sends neither).
     */
    private static boolean ioSeataKnows(Message m) {
        if (m instanceof BranchReportRequest r) {
            return r.status() != BranchStatus.PhaseOne_RDONLY;
        } else if (m instanceof BranchEndResponse r) {
            return r.branchStatus() != BranchStatus.PhaseOne_RDONLY;
        } else if (m instanceof MergedWarpMessage r) {
            return r.msgs().stream().allMatch(IoSeataProtobufOracleTest::ioSeataKnows);
        } else if (m instanceof MergeResultMessage r) {
            return r.msgs().stream().allMatch(IoSeataProtobufOracleTest::ioSeataKnows);
        } else if (m instanceof BatchResultMessage r) {
            return r.results().stream().allMatch(IoSeataProtobufOracleTest::ioSeataKnows);
        }
        return true;
    }

    private static String name(byte[] body) {
        int length = ByteBuffer.wrap(body).getInt();
        return new String(body, 4, length, StandardCharsets.UTF_8);
    }
}
