package io.tessera.codec.seata;

import static io.tessera.codec.CodecException.Reason.MALFORMED_BODY;
import static io.tessera.codec.CodecException.Reason.UNENCODABLE;
import static io.tessera.codec.CodecException.Reason.UNKNOWN_TYPE_CODE;
import static io.tessera.codec.message.ResultCode.Failed;
import static io.tessera.codec.message.ResultCode.Success;
import static io.tessera.codec.message.TransactionExceptionCode.Unknown;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tessera.codec.CodecException;
import io.tessera.codec.FrameCodec;
import io.tessera.codec.RpcFrame;
import io.tessera.codec.message.BatchResultMessage;
import io.tessera.codec.message.BranchEndRequest;
import io.tessera.codec.message.BranchEndResponse;
import io.tessera.codec.message.BranchRegisterRequest;
import io.tessera.codec.message.BranchRegisterResponse;
import io.tessera.codec.message.BranchReportRequest;
import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalBeginRequest;
import io.tessera.codec.message.GlobalBeginResponse;
import io.tessera.codec.message.GlobalEndRequest.Kind;
import io.tessera.codec.message.GlobalEndResponse;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.message.HeartbeatMessage;
import io.tessera.codec.message.MergedWarpMessage;
import io.tessera.codec.message.Message;
import io.tessera.codec.message.RegisterRMRequest;
import io.tessera.codec.message.RegisterTMRequest;
import io.tessera.codec.message.UndoLogDeleteRequest;
import io.tessera.codec.oracle.SeataOracle;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** SEATA body rules that random round trips do not reach: unencodable values and malformed bodies. */
class SeataBodyCodecTest {
    private final SeataBodyCodec codec = new SeataBodyCodec();

    private static void fails(CodecException.Reason reason, Executable call) {
        CodecException e = assertThrows(CodecException.class, call);
        assertEquals(reason, e.reason(), e.getMessage());
    }

    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    @Test
    void str16LimitIs32767Utf8Bytes() {
        String max = "x".repeat(Short.MAX_VALUE);
        assertEquals(new GlobalBeginRequest(1, max), codec.decode(codec.encode(new GlobalBeginRequest(1, max))));
        fails(UNENCODABLE, () -> codec.encode(new GlobalBeginRequest(1, max + "x")));
        // Fewer than 32768 chars but more than 32767 bytes.
        fails(UNENCODABLE, () -> codec.encode(new GlobalBeginRequest(1, "é".repeat(20_000))));
        fails(UNENCODABLE, () -> codec.encode(new GlobalBeginResponse(Failed, "€".repeat(11_000), Unknown, "x", null)));
        // A Success response never writes msg, so its length does not matter.
        codec.encode(new GlobalBeginResponse(Success, "€".repeat(11_000), Unknown, "x", null));
    }

    @Test
    void fitStr16MakesLongMessagesSendable() {
        for (String unit : List.of("x", "é", "€", "🚀")) {
            String msg = "TransactionException[" + unit.repeat(40_000) + "]";
            String fitted = SeataLimits.fitStr16(msg);
            int bytes = fitted.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            org.junit.jupiter.api.Assertions.assertTrue(bytes <= Short.MAX_VALUE && bytes > Short.MAX_VALUE - 4, unit);
            org.junit.jupiter.api.Assertions.assertTrue(msg.startsWith(fitted));
            var response = new GlobalBeginResponse(Failed, fitted, Unknown, null, null);
            assertEquals(response, codec.decode(codec.encode(response)));
        }
        assertEquals("short", SeataLimits.fitStr16("short"));
        assertEquals(null, SeataLimits.fitStr16(null));
    }

    @Test
    void str32CarriesLargeLockKeys() {
        String lockKey = "t_order:" + "1234567,".repeat(60_000);
        var m = new BranchRegisterRequest("x", BranchType.AT, "r", lockKey, null);
        assertEquals(m, codec.decode(codec.encode(m)));
    }

    @Test
    void requiredEnumsAndIdsAreRefusedWhenNull() {
        fails(UNENCODABLE, () -> codec.encode(new BranchRegisterRequest("x", null, "r", null, null)));
        fails(UNENCODABLE, () -> codec.encode(new GlobalEndResponse(Kind.COMMIT, Success, null, Unknown, null)));
        fails(UNENCODABLE, () -> codec.encode(new GlobalEndResponse(Kind.COMMIT, null, null, Unknown,
                GlobalStatus.Begin)));
        fails(UNENCODABLE, () -> codec.encode(new GlobalEndResponse(Kind.COMMIT, Success, null, null,
                GlobalStatus.Begin)));
        // The N1 situation: a branch-end response without status must not produce a corrupt frame.
        fails(UNENCODABLE, () -> codec.encode(new BranchEndResponse(true, Failed, "x", Unknown, "a:1:2", 1, null)));
        fails(UNENCODABLE, () -> codec.encode(new BranchReportRequest("x", 1, null, "r", null, BranchType.AT)));
        fails(UNENCODABLE, () -> codec.encode(new BatchResultMessage(
                List.of(new BranchRegisterResponse(Success, null, Unknown, 1)), List.of())));
        fails(UNENCODABLE, () -> codec.encode(new MergedWarpMessage(List.of(new GlobalBeginRequest(1, "a")),
                List.of(1, 2))));
        fails(UNENCODABLE, () -> codec.encode(HeartbeatMessage.PING));
    }

    @Test
    void branchEndRequestsTheRmWouldMisreadAreRefused() {
        fails(UNENCODABLE, () -> codec.encode(new BranchEndRequest(true, "", 1, BranchType.AT, "r", null)));
        fails(UNENCODABLE, () -> codec.encode(new BranchEndRequest(false, "x", 1, BranchType.AT, null, null)));
        fails(UNENCODABLE, () -> codec.encode(new UndoLogDeleteRequest(BranchType.AT, "", (short) 7)));
    }

    @Test
    void nullVersusEmptyFollowsSeataAll() {
        // RegisterTMRequest: all four strings come back as "" (seata-all builds a String for length 0).
        assertEquals(new RegisterTMRequest("", "", "", ""),
                codec.decode(codec.encode(new RegisterTMRequest(null, null, null, null))));
        // RegisterRMRequest: only transactionServiceGroup does.
        assertEquals(new RegisterRMRequest("v", null, "", null, null),
                codec.decode(codec.encode(new RegisterRMRequest("v", "", null, "", ""))));
        assertEquals(new GlobalBeginResponse(Failed, null, Unknown, null, null),
                codec.decode(codec.encode(new GlobalBeginResponse(Failed, "", Unknown, "", ""))));
    }

    @Test
    void seataAllStopsAtAnEmptyRmVersionWhileWeDecodeEverything() {
        var m = new RegisterRMRequest("", "app", "grp", null, "res1");
        byte[] frame = new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME_LENGTH, List.of(codec))
                .encode(RpcFrame.request(1, RpcFrame.CODEC_SEATA, m));
        assertEquals(new RegisterRMRequest(null, "app", "grp", null, "res1"),
                new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME_LENGTH, List.of(codec)).decode(frame).body());
        assertEquals(new RegisterRMRequest(SeataOracle.seataDefaultVersion(), null, null, null, null),
                new SeataOracle().decodeWithSeata(frame).body());
    }

    @Test
    void globalReportNullStatusIs0xFF() {
        byte[] body = codec.encode(new io.tessera.codec.message.GlobalReportRequest("x", null, null));
        assertArrayEquals(hex("0011 0001 78 0000 ff"), body);
        // Any negative status byte means "no status" to seata-all; 0x80 decodes as null too.
        assertEquals(new io.tessera.codec.message.GlobalReportRequest("x", null, null),
                codec.decode(hex("0011 0001 78 0000 80")));
    }

    @Test
    void malformedBodies() {
        fails(MALFORMED_BODY, () -> codec.decode(new byte[0]));
        fails(MALFORMED_BODY, () -> codec.decode(hex("00")));
        fails(UNKNOWN_TYPE_CODE, () -> codec.decode(hex("0013")));
        fails(UNKNOWN_TYPE_CODE, () -> codec.decode(hex("0078")));
        fails(UNKNOWN_TYPE_CODE, () -> codec.decode(hex("ffff")));
        // truncated string, negative string length, trailing byte
        fails(MALFORMED_BODY, () -> codec.decode(hex("0001 0000ea60 0007 7465")));
        fails(MALFORMED_BODY, () -> codec.decode(hex("0001 0000ea60 8000")));
        fails(MALFORMED_BODY, () -> codec.decode(hex("0001 0000ea60 0000 00")));
        // str32 length larger than the body must not allocate it
        fails(MALFORMED_BODY, () -> codec.decode(hex("000b 0001 78 00 0001 72 7fffffff")));
        // enum values outside the tables
        fails(MALFORMED_BODY, () -> codec.decode(hex("0008 02 00 09")));
        fails(MALFORMED_BODY, () -> codec.decode(hex("0008 01 18 09")));
        fails(MALFORMED_BODY, () -> codec.decode(hex("0008 01 00 15")));
        fails(MALFORMED_BODY, () -> codec.decode(hex("000b 0001 78 05 0001 72 00000000 00000000")));
        // batches: length beyond body, negative count, id list of the wrong size, response inside a MergedWarp
        fails(MALFORMED_BODY, () -> codec.decode(hex("003b 00000010 0000")));
        fails(MALFORMED_BODY, () -> codec.decode(hex("003b 00000002 ffff")));
        fails(MALFORMED_BODY, () -> codec.decode(hex("003b 0000000d 0001 0001 0000ea60 0001 61 0000")));
        fails(UNKNOWN_TYPE_CODE, () -> codec.decode(hex("003b 00000006 0001 000e 0100 00000001")));
        fails(UNKNOWN_TYPE_CODE, () -> codec.decode(hex("003c 00000004 0001 000b")));
        fails(MALFORMED_BODY, () -> codec.decode(hex("0079 00000006 0001 000e 0100")));
    }

    @Test
    void mergedWarpWithoutIdListIsAccepted() {
        // Pre-1.x clients sent no id list; seata-all then leaves the ids empty.
        Message m = codec.decode(hex("003b 0000000b 0001 0001 0000ea60 0001 61"));
        assertEquals(new MergedWarpMessage(List.of(new GlobalBeginRequest(60000, "a")), List.of()), m);
    }

    @Test
    void everyEnumValueSurvives() {
        for (BranchStatus s : BranchStatus.values()) {
            var m = new BranchEndResponse(false, Success, null, Unknown, "x", 1, s);
            assertEquals(m, codec.decode(codec.encode(m)));
        }
        for (GlobalStatus s : GlobalStatus.values()) {
            var m = new GlobalEndResponse(Kind.REPORT, Success, null, Unknown, s);
            assertEquals(m, codec.decode(codec.encode(m)));
        }
    }
}
