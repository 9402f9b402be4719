package io.tessera.codec.protobuf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.Any;
import io.tessera.codec.CodecException;
import io.tessera.codec.message.BranchEndRequest;
import io.tessera.codec.message.BranchEndResponse;
import io.tessera.codec.message.BranchRegisterRequest;
import io.tessera.codec.message.BranchRegisterResponse;
import io.tessera.codec.message.BranchReportRequest;
import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalBeginResponse;
import io.tessera.codec.message.GlobalEndRequest;
import io.tessera.codec.message.GlobalEndResponse;
import io.tessera.codec.message.GlobalLockQueryRequest;
import io.tessera.codec.message.GlobalReportRequest;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.message.HeartbeatMessage;
import io.tessera.codec.message.MergedWarpMessage;
import io.tessera.codec.message.Message;
import io.tessera.codec.message.RegisterTMResponse;
import io.tessera.codec.message.ResultCode;
import io.tessera.codec.message.TransactionExceptionCode;
import io.tessera.codec.message.UndoLogDeleteRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.seata.serializer.protobuf.ProtobufSerializer;
import org.apache.seata.serializer.protobuf.generated.AbstractBranchEndResponseProto;
import org.apache.seata.serializer.protobuf.generated.AbstractResultMessageProto;
import org.apache.seata.serializer.protobuf.generated.AbstractTransactionResponseProto;
import org.apache.seata.serializer.protobuf.generated.BranchCommitResponseProto;
import org.apache.seata.serializer.protobuf.generated.BranchRegisterRequestProto;
import org.apache.seata.serializer.protobuf.generated.BranchRegisterResponseProto;
import org.apache.seata.serializer.protobuf.generated.BranchReportRequestProto;
import org.apache.seata.serializer.protobuf.generated.GlobalCommitResponseProto;
import org.apache.seata.serializer.protobuf.generated.HeartbeatMessageProto;
import org.apache.seata.serializer.protobuf.generated.MergedWarpMessageProto;
import org.apache.seata.serializer.protobuf.generated.AbstractGlobalEndResponseProto;
import org.apache.seata.serializer.protobuf.generated.TransactionExceptionCodeProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The edges of the enum and null policy (see ProtoEnums): what we refuse to encode, what we degrade
 * to a nearest value, and which wire numbers we refuse to decode. Wire bytes for the decode cases are
 * built with seata-serializer-protobuf's own generated classes.
 */
class ProtobufEnumPolicyTest {

    private static final String XID = "10.0.0.1:8091:42";

    private final ProtobufBodyCodec codec = new ProtobufBodyCodec();
    private final ProtobufSerializer seata = new ProtobufSerializer();

    @ParameterizedTest
    @EnumSource(value = BranchType.class, names = {"XA", "SAGA_ANNOTATION"})
    void branchTypesWithoutProtoValueAreUnencodable(BranchType type) {
        for (Message m : List.<Message>of(
                new BranchRegisterRequest(XID, type, "r", "t:1", null),
                new GlobalLockQueryRequest(XID, type, "r", "t:1", null),
                new BranchReportRequest(XID, 1L, BranchStatus.PhaseOne_Done, "r", null, type),
                new BranchEndRequest(true, XID, 1L, type, "r", null),
                new UndoLogDeleteRequest(type, "r", (short) 7),
                new MergedWarpMessage(List.of(new BranchRegisterRequest(XID, type, "r", "t:1", null)), List.of(1)))) {
            assertUnencodable(m);
        }
    }

    @ParameterizedTest
    @EnumSource(value = GlobalStatus.class, names = {"Deleting", "StopCommitOrCommitRetry", "StopRollbackOrRollbackRetry"})
    void globalStatusesOfTwoFiveAreUnencodable(GlobalStatus status) {
        assertUnencodable(new GlobalEndResponse(GlobalEndRequest.Kind.STATUS, ResultCode.Success, null,
                TransactionExceptionCode.Unknown, status));
        assertUnencodable(new GlobalReportRequest(XID, null, status));
    }

    @Test
    void retryTimeoutStatusesReachTheClientAsTheirFailedCounterparts() {
        assertEquals(GlobalStatus.CommitFailed, seataDecodedStatus(GlobalStatus.CommitRetryTimeout));
        assertEquals(GlobalStatus.RollbackFailed, seataDecodedStatus(GlobalStatus.RollbackRetryTimeout));
    }

    @ParameterizedTest
    @EnumSource(value = BranchStatus.class, names = {"Unknown", "PhaseTwo_CommitFailed_XAER_NOTA_Retryable",
        "PhaseTwo_RollbackFailed_XAER_NOTA_Retryable", "STOP_RETRY"})
    void branchReportStatusesWithoutProtoNameAreUnencodable(BranchStatus status) {
        assertUnencodable(new BranchReportRequest(XID, 1L, status, "r", null, BranchType.AT));
    }

    @ParameterizedTest
    @EnumSource(value = BranchStatus.class, names = {"PhaseTwo_CommitFailed_XAER_NOTA_Retryable",
        "PhaseTwo_RollbackFailed_XAER_NOTA_Retryable", "STOP_RETRY"})
    void branchEndResponsesCarryUnnamedStatusesByNumber(BranchStatus status) {
        BranchEndResponse r = new BranchEndResponse(false, ResultCode.Success, "", TransactionExceptionCode.Unknown,
                XID, 9L, status);
        var seataDecoded = (org.apache.seata.core.protocol.transaction.BranchRollbackResponse) seata.deserialize(codec.encode(r));
        assertEquals(status.code(), seataDecoded.getBranchStatus().getCode());
        assertEquals(r, codec.decode(codec.encode(r)));
    }

    @Test
    void nullsThatTheWireCannotExpressAreUnencodable() {
        assertUnencodable(new BranchRegisterResponse(null, null, TransactionExceptionCode.Unknown, 1L));
        assertUnencodable(new GlobalEndResponse(GlobalEndRequest.Kind.COMMIT, ResultCode.Success, null, null, null));
        assertUnencodable(new BranchEndResponse(true, ResultCode.Success, null, null, XID, 1L, null));
        assertUnencodable(new GlobalReportRequest(XID, null, null));
        assertUnencodable(new BranchReportRequest(XID, 1L, null, "r", null, BranchType.AT));
        assertUnencodable(HeartbeatMessage.PING);
    }

    @Test
    void registrationResponseWithoutResultCodeFollowsIdentified() {
        var identified = (org.apache.seata.core.protocol.RegisterTMResponse) seata.deserialize(
                codec.encode(new RegisterTMResponse(true, "1.0", null, null, null)));
        var rejected = (org.apache.seata.core.protocol.RegisterTMResponse) seata.deserialize(
                codec.encode(new RegisterTMResponse(false, "1.0", null, null, null)));
        assertEquals(org.apache.seata.core.protocol.ResultCode.Success, identified.getResultCode());
        assertEquals(org.apache.seata.core.protocol.ResultCode.Failed, rejected.getResultCode());
    }

    @Test
    void missingExceptionCodesDegradeToTheNearestOne() {
        assertEquals(TransactionExceptionCode.LockKeyConflict, seataDecodedCode(TransactionExceptionCode.LockKeyConflictFailFast));
        for (TransactionExceptionCode c : List.of(TransactionExceptionCode.BeginFailed, TransactionExceptionCode.NotRaftLeader,
                TransactionExceptionCode.TransactionTimeout, TransactionExceptionCode.CommitHeuristic,
                TransactionExceptionCode.Broken)) {
            assertEquals(TransactionExceptionCode.Unknown, seataDecodedCode(c), c.name());
        }
    }

    /**
     * seata-all 2.5.0 renamed FailedLockGlobalTranscation, so the 2.2.0 serializer cannot map it by
     * name on that classpath; a 2.2 client (whose enum has the old name) can. We check the wire number
     * against the serializer's generated enum instead.
     */
    @Test
    void failedLockGlobalTranscationTravelsAsProtoValue15() throws Exception {
        byte[] ours = codec.encode(new BranchRegisterResponse(ResultCode.Failed, "x",
                TransactionExceptionCode.FailedLockGlobalTranscation, 0L));
        var parsed = BranchRegisterResponseProto.parseFrom(payload(ours));
        assertEquals(TransactionExceptionCodeProto.FailedLockGlobalTranscation,
                parsed.getAbstractTransactionResponse().getTransactionExceptionCode());

        byte[] theirs = body(BranchRegisterResponseProto.newBuilder().setAbstractTransactionResponse(
                AbstractTransactionResponseProto.newBuilder()
                        .setAbstractResultMessage(AbstractResultMessageProto.newBuilder().setMsg("x"))
                        .setTransactionExceptionCode(TransactionExceptionCodeProto.FailedLockGlobalTranscation))
                .build());
        assertEquals(new BranchRegisterResponse(ResultCode.Failed, "x", TransactionExceptionCode.FailedLockGlobalTranscation, 0L),
                codec.decode(theirs));
        assertThrows(IllegalArgumentException.class, () -> seata.deserialize(theirs),
                "the 2.2.0 serializer on seata-all 2.5.0 cannot decode this code (renamed constant)");
    }

    @Test
    void wireNumbersOutsideTheProtoEnumsAreMalformed() {
        assertMalformed(body(BranchRegisterRequestProto.newBuilder().setXid(XID).setBranchTypeValue(3).build()));
        assertMalformed(body(BranchReportRequestProto.newBuilder().setXid(XID).setStatusValue(11).build()));
        assertMalformed(body(globalCommitResponse(16, 0)));
        assertMalformed(body(globalCommitResponse(9, 18)));
        assertMalformed(body(BranchCommitResponseProto.newBuilder().setAbstractBranchEndResponse(
                AbstractBranchEndResponseProto.newBuilder().setXid(XID).setBranchStatusValue(15)).build()));
        assertMalformed(body(BranchRegisterResponseProto.newBuilder().setAbstractTransactionResponse(
                AbstractTransactionResponseProto.newBuilder().setAbstractResultMessage(
                        AbstractResultMessageProto.newBuilder().setResultCodeValue(2))).setBranchId(1).build()));
    }

    @Test
    void branchReportStatusZeroDecodesAsUnknown() {
        // The reference cannot map "BUnknown" to a BranchStatus; we accept it rather than drop the report.
        var decoded = (BranchReportRequest) codec.decode(body(BranchReportRequestProto.newBuilder().setXid(XID).setBranchId(5).build()));
        assertEquals(BranchStatus.Unknown, decoded.status());
    }

    @Test
    void branchEndResponseNumbersElevenAndTwelveDecode() {
        var decoded = (BranchEndResponse) codec.decode(body(BranchCommitResponseProto.newBuilder().setAbstractBranchEndResponse(
                AbstractBranchEndResponseProto.newBuilder().setXid(XID).setBranchStatusValue(12)).build()));
        assertEquals(BranchStatus.PhaseTwo_RollbackFailed_XAER_NOTA_Retryable, decoded.branchStatus());
    }

    @Test
    void envelopeErrors() {
        assertReason(CodecException.Reason.MALFORMED_BODY, Arrays.copyOf(nameOnly("org.apache.seata.protocol.protobuf.GlobalBeginRequestProto"), 70));
        assertReason(CodecException.Reason.MALFORMED_BODY, nameOnly("org.apache.seata.protocol.protobuf.GlobalBeginRequestProto"));
        assertReason(CodecException.Reason.UNKNOWN_TYPE_CODE, body(HeartbeatMessageProto.newBuilder().setPing(true).build()));
        byte[] unknown = nameOnly("org.apache.seata.protocol.protobuf.NoSuchProto");
        assertReason(CodecException.Reason.UNKNOWN_TYPE_CODE, concat(unknown, new byte[] {8, 1}));
        assertReason(CodecException.Reason.MALFORMED_BODY, new byte[] {0, 0});
        assertReason(CodecException.Reason.MALFORMED_BODY, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1});
    }

    @Test
    void batchElementsMustBeKnownSingleMessagesOfTheRightDirection() {
        var response = BranchRegisterResponseProto.newBuilder().setBranchId(1).build();
        assertReason(CodecException.Reason.MALFORMED_BODY, body(MergedWarpMessageProto.newBuilder().addMsgs(Any.pack(response)).build()));
        var nested = MergedWarpMessageProto.newBuilder().addMsgIds(1).build();
        assertReason(CodecException.Reason.MALFORMED_BODY, body(MergedWarpMessageProto.newBuilder().addMsgs(Any.pack(nested)).build()));
        var heartbeat = HeartbeatMessageProto.newBuilder().setPing(true).build();
        assertReason(CodecException.Reason.UNKNOWN_TYPE_CODE, body(MergedWarpMessageProto.newBuilder().addMsgs(Any.pack(heartbeat)).build()));
        var noSlash = Any.newBuilder().setTypeUrl("org.apache.seata.protocol.protobuf.BranchRegisterRequestProto").build();
        assertReason(CodecException.Reason.UNKNOWN_TYPE_CODE, body(MergedWarpMessageProto.newBuilder().addMsgs(noSlash).build()));
    }

    private GlobalStatus seataDecodedStatus(GlobalStatus status) {
        var r = (org.apache.seata.core.protocol.transaction.GlobalStatusResponse) seata.deserialize(codec.encode(
                new GlobalEndResponse(GlobalEndRequest.Kind.STATUS, ResultCode.Success, null, null, status)));
        return GlobalStatus.of(r.getGlobalStatus().getCode());
    }

    private TransactionExceptionCode seataDecodedCode(TransactionExceptionCode code) {
        var r = (org.apache.seata.core.protocol.transaction.GlobalBeginResponse) seata.deserialize(
                codec.encode(new GlobalBeginResponse(ResultCode.Failed, "no", code, "", null)));
        return TransactionExceptionCode.of(r.getTransactionExceptionCode().ordinal());
    }

    private static GlobalCommitResponseProto globalCommitResponse(int globalStatus, int exceptionCode) {
        return GlobalCommitResponseProto.newBuilder().setAbstractGlobalEndResponse(AbstractGlobalEndResponseProto.newBuilder()
                .setAbstractTransactionResponse(AbstractTransactionResponseProto.newBuilder()
                        .setTransactionExceptionCodeValue(exceptionCode))
                .setGlobalStatusValue(globalStatus)).build();
    }

    private void assertUnencodable(Message m) {
        CodecException e = assertThrows(CodecException.class, () -> codec.encode(m), String.valueOf(m));
        assertEquals(CodecException.Reason.UNENCODABLE, e.reason(), e.getMessage());
    }

    private void assertMalformed(byte[] body) {
        assertReason(CodecException.Reason.MALFORMED_BODY, body);
    }

    private void assertReason(CodecException.Reason reason, byte[] body) {
        CodecException e = assertThrows(CodecException.class, () -> codec.decode(body));
        assertEquals(reason, e.reason(), e.getMessage());
    }

    /** A body as the reference frames it: i32 name length, name, message bytes. */
    static byte[] body(com.google.protobuf.Message p) {
        return concat(nameOnly(p.getDescriptorForType().getFullName()), p.toByteArray());
    }

    private static byte[] nameOnly(String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + n.length).putInt(n.length).put(n).array();
    }

    private static byte[] payload(byte[] body) {
        int nameLen = ByteBuffer.wrap(body).getInt();
        return Arrays.copyOfRange(body, 4 + nameLen, body.length);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
