package io.tessera.coordinator.transport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.codec.RpcFrame;
import io.tessera.codec.message.BranchRegisterRequest;
import io.tessera.codec.message.BranchRegisterResponse;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalBeginRequest;
import io.tessera.codec.message.GlobalBeginResponse;
import io.tessera.codec.message.GlobalEndRequest;
import io.tessera.codec.message.GlobalEndResponse;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.message.MergeResultMessage;
import io.tessera.codec.message.MergedWarpMessage;
import io.tessera.codec.message.RegisterRMRequest;
import io.tessera.codec.message.RegisterRMResponse;
import io.tessera.codec.message.RegisterTMRequest;
import io.tessera.codec.message.RegisterTMResponse;
import io.tessera.codec.message.ResultCode;
import io.tessera.codec.message.TransactionExceptionCode;
import io.tessera.coordinator.clientauth.ClientAuth;
import io.tessera.coordinator.config.NodeConfig.TransactionLimits;
import io.tessera.coordinator.testing.FrontEnd;
import io.tessera.coordinator.testing.InMemoryTransactionService;
import io.tessera.coordinator.testing.RawClient;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Size bounds on registrations and requests (defaults: 1024 resource ids, 512-character fields, 64,000
 * bytes of applicationData): refused with a message that names the bound, before anything is split,
 * registered or handed to the service.
 */
@Timeout(60)
class FieldBoundsTest {
    private final InMemoryTransactionService service = new InMemoryTransactionService("127.0.0.1:8091");
    private FrontEnd frontEnd;

    @BeforeEach
    void start() {
        frontEnd = new FrontEnd(service, 2_000, 15_000, 15, TransactionLimits.defaults(), ClientAuth.off());
    }

    @AfterEach
    void stop() {
        frontEnd.close();
    }

    private static void awaitClosed(RawClient client) {
        await().atMost(Duration.ofSeconds(5)).until(() -> !client.isOpen());
    }

    @Test
    void registerRmWith900kResourceIdsIsRefusedWithTheLimitAndNothingIsRegistered() {
        String ids = IntStream.range(0, 900_000).mapToObj(i -> String.format("r%06d", i)).collect(Collectors.joining(","));
        assertTrue(ids.length() > 7_000_000, "a frame of about 8 MB: " + ids.length());
        try (RawClient rm = new RawClient(frontEnd.port())) {
            // PROTOBUF: unlike the SEATA codec, its registration answer carries the message.
            int id = rm.send(RpcFrame.TYPE_REQUEST, RpcFrame.CODEC_PROTOBUF,
                    new RegisterRMRequest("2.5.0", "orders", "tx-group", null, ids));
            RpcFrame answer = rm.next(Duration.ofSeconds(20));
            assertEquals(id, answer.requestId());
            RegisterRMResponse r = assertInstanceOf(RegisterRMResponse.class, answer.body());
            assertFalse(r.identified());
            assertEquals("RegisterRM refused: 900000 resource ids listed, more than transaction.max-resource-ids=1024",
                    r.msg());
            awaitClosed(rm);
        }
        assertTrue(frontEnd.rmChannels.sessions().isEmpty());
        assertEquals(0, frontEnd.sessions.count(ClientRole.RM));
    }

    @Test
    void followUpRegistrationsCannotGrowAConnectionPastTheLimit() {
        String first = IntStream.range(0, 1_000).mapToObj(i -> "a" + i).collect(Collectors.joining(","));
        String more = IntStream.range(0, 100).mapToObj(i -> "b" + i).collect(Collectors.joining(","));
        try (RawClient rm = new RawClient(frontEnd.port())) {
            assertTrue(assertInstanceOf(RegisterRMResponse.class, rm.registerRm("orders", "2.5.0", first).body())
                    .identified());
            // The client re-sends its whole list as a follow-up: ids it already holds do not count twice.
            rm.send(RpcFrame.TYPE_ONEWAY, new RegisterRMRequest("2.5.0", "orders", "tx-group", null, first));
            assertTrue(assertInstanceOf(RegisterRMResponse.class, rm.next().body()).identified());
            rm.send(RpcFrame.TYPE_ONEWAY, RpcFrame.CODEC_PROTOBUF,
                    new RegisterRMRequest("2.5.0", "orders", "tx-group", null, more));
            RegisterRMResponse r = assertInstanceOf(RegisterRMResponse.class, rm.next().body());
            assertFalse(r.identified());
            assertEquals("RegisterRM refused: the connection would then hold more resource ids than"
                    + " transaction.max-resource-ids=1024", r.msg());
            awaitClosed(rm);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> frontEnd.rmChannels.sessions().isEmpty());
    }

    @Test
    void tooLongRegistrationFieldsAreRefused() {
        try (RawClient tm = new RawClient(frontEnd.port())) {
            tm.send(RpcFrame.TYPE_REQUEST, RpcFrame.CODEC_PROTOBUF,
                    new RegisterTMRequest("2.5.0", "a".repeat(513), "tx-group", null));
            RegisterTMResponse r = assertInstanceOf(RegisterTMResponse.class, tm.next().body());
            assertFalse(r.identified());
            assertEquals("RegisterTM refused: applicationId has 513 characters, more than"
                    + " transaction.max-field-length=512", r.msg());
            awaitClosed(tm);
        }
        try (RawClient rm = new RawClient(frontEnd.port())) {
            // The SEATA codec answers identified=false without a message, then the connection closes.
            RpcFrame answer = rm.registerRm("orders", "2.5.0", "ok," + "r".repeat(600));
            assertFalse(assertInstanceOf(RegisterRMResponse.class, answer.body()).identified());
            awaitClosed(rm);
        }
        assertEquals(0, frontEnd.sessions.count(ClientRole.TM) + frontEnd.sessions.count(ClientRole.RM));
    }

    @Test
    void tooLongRequestFieldsAreAnsweredFailedWithoutReachingTheService() {
        try (RawClient tm = new RawClient(frontEnd.port())) {
            tm.registerTm("orders", "2.5.0");
            tm.request(new GlobalBeginRequest(60_000, "n".repeat(600)));
            GlobalBeginResponse begin = assertInstanceOf(GlobalBeginResponse.class, tm.next().body());
            assertEquals(ResultCode.Failed, begin.resultCode());
            assertEquals(TransactionExceptionCode.BeginFailed, begin.exceptionCode());
            assertEquals("TransactionException[transactionName has 600 characters, more than"
                    + " transaction.max-field-length=512]", begin.msg());

            tm.request(new GlobalEndRequest(GlobalEndRequest.Kind.COMMIT, "127.0.0.1:8091:" + "9".repeat(600), null));
            GlobalEndResponse commit = assertInstanceOf(GlobalEndResponse.class, tm.next().body());
            assertEquals(ResultCode.Failed, commit.resultCode());
            assertEquals("TransactionException[xid has 615 characters, more than transaction.max-field-length=512]",
                    commit.msg());
            // The TM reads only the status: Finished makes it report the commit as failed.
            assertEquals(GlobalStatus.Finished, commit.globalStatus());
            assertTrue(tm.isOpen(), "a refused request does not close the connection");
        }
        assertTrue(service.threads.isEmpty(), "the service saw " + service.threads);
    }

    @Test
    void applicationDataOverTheLimitIsRefusedLikeSeataAndNoBranchIsStored() {
        String xid = service.begin();
        try (RawClient rm = new RawClient(frontEnd.port())) {
            // 2.2.0: batches are answered with one MergeResultMessage (spec §9.4.3).
            rm.registerRm("orders", "2.2.0", "res");
            rm.request(new BranchRegisterRequest(xid, BranchType.TCC, "res", null, "x".repeat(64_001)));
            BranchRegisterResponse tooBig = assertInstanceOf(BranchRegisterResponse.class, rm.next().body());
            assertEquals(ResultCode.Failed, tooBig.resultCode());
            assertEquals(TransactionExceptionCode.FailedToAddBranch, tooBig.exceptionCode());
            assertEquals("TransactionException[applicationData of 64001 bytes is larger than"
                    + " transaction.application-data-limit=64000 (Seata's server.applicationDataLimit)]", tooBig.msg());

            // Counted in UTF-8 bytes, as Seata does: 21,334 three-byte characters are 64,002 bytes.
            rm.request(new BranchRegisterRequest(xid, BranchType.TCC, "res", null, "€".repeat(21_334)));
            BranchRegisterResponse multiByte = assertInstanceOf(BranchRegisterResponse.class, rm.next().body());
            assertEquals(ResultCode.Failed, multiByte.resultCode());
            assertTrue(multiByte.msg().contains("64002 bytes"), multiByte.msg());
            assertTrue(service.branches.isEmpty(), "nothing stored: " + service.branches);

            // In a batch, the oversized request is refused and its neighbour served.
            int frameId = rm.send(RpcFrame.TYPE_ONEWAY, new MergedWarpMessage(List.of(
                    new BranchRegisterRequest(xid, BranchType.TCC, "res", null, "y".repeat(70_000)),
                    new BranchRegisterRequest(xid, BranchType.TCC, "res", null, "z".repeat(64_000))), List.of(41, 42)));
            RpcFrame answer = rm.next();
            assertEquals(frameId, answer.requestId());
            List<?> results = assertInstanceOf(MergeResultMessage.class, answer.body()).msgs();
            assertEquals(ResultCode.Failed, ((BranchRegisterResponse) results.get(0)).resultCode());
            assertEquals(ResultCode.Success, ((BranchRegisterResponse) results.get(1)).resultCode());
            assertEquals(1, service.branches.size());
        }
    }
}
