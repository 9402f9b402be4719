package io.tessera.codec.protobuf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tessera.codec.message.BranchEndRequest;
import io.tessera.codec.message.BranchRegisterRequest;
import io.tessera.codec.message.BranchRegisterResponse;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalBeginRequest;
import io.tessera.codec.message.GlobalBeginResponse;
import io.tessera.codec.message.MergeResultMessage;
import io.tessera.codec.message.MergedWarpMessage;
import io.tessera.codec.message.Message;
import io.tessera.codec.message.RegisterRMRequest;
import io.tessera.codec.message.RegisterTMResponse;
import io.tessera.codec.message.ResultCode;
import io.tessera.codec.message.TransactionExceptionCode;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The PROTOBUF vectors of /work/shared/docs/seata-vectors.txt (produced by seata-all 2.2.0 with
 * seata-serializer-protobuf 2.2.0): decode the body, check every field, re-encode byte for byte.
 */
class ProtobufGoldenVectorTest {

    private static final String XID = "192.168.0.2:8091:2000042948";

    private final ProtobufBodyCodec codec = new ProtobufBodyCodec();

    /** Body of a complete v1 frame: everything after the head (whose length is bytes 7-8). */
    static byte[] body(String frameHex) {
        byte[] frame = HexFormat.of().parseHex(frameHex);
        ByteBuffer b = ByteBuffer.wrap(frame);
        int fullLength = b.getInt(3);
        int headLength = b.getShort(7);
        assertEquals(frame.length, fullLength, "vector frame length");
        return Arrays.copyOfRange(frame, headLength, fullLength);
    }

    private void assertGolden(String frameHex, Message expected) {
        byte[] body = body(frameHex);
        assertEquals(expected, codec.decode(body));
        assertArrayEquals(body, codec.encode(expected), "re-encoded bytes differ");
    }

    static final String V37 = "dada01000000610010000200000000200000003a6f72672e6170616368652e73656174612e70726f746f636f6c2e70726f746f6275662e476c6f62616c426567696e5265717565737450726f746f0a040a02080110e0d4031a07746573742d7478";
    static final String V38 = "dada01000000760010010200000000200000003b6f72672e6170616368652e73656174612e70726f746f636f6c2e70726f746f6275662e476c6f62616c426567696e526573706f6e736550726f746f0a080a060a0208021001121b3139322e3136382e302e323a383039313a32303030303432393438";
    static final String V39 = "dada01000000610010010200000000210000003a6f72672e6170616368652e73656174612e70726f746f636f6c2e70726f746f6275662e5265676973746572544d526573706f6e736550726f746f0a110a060a02086610011205322e322e302001";
    static final String V42 = "dada0100000077001000020000000029000000396f72672e6170616368652e73656174612e70726f746f636f6c2e70726f746f6275662e5265676973746572524d5265717565737450726f746f0a220a0208671205322e322e301a03617070221064656661756c745f74785f67726f7570120472657331";
    static final String V43 = "dada010000008000100002000000002a0000003b6f72672e6170616368652e73656174612e70726f746f636f6c2e70726f746f6275662e4272616e6368436f6d6d69745265717565737450726f746f0a2f0a040a020803121b3139322e3136382e302e323a383039313a3230303030343239343818c5f7d8b9072a0472657331";
    static final String V44 = "dada01000000d800100202000000002b000000396f72672e6170616368652e73656174612e70726f746f636f6c2e70726f746f6275662e4d6572676564576172704d65737361676550726f746f0a02083b1281010a51747970652e676f6f676c65617069732e636f6d2f6f72672e6170616368652e73656174612e70726f746f636f6c2e70726f746f6275662e4272616e636852656769737465725265717565737450726f746f122c0a040a02080b121b3139322e3136382e302e323a383039313a32303030303432393438220272312a03743a311a0115";
    static final String V45 = "dada01000000b700100102000000002b0000003b6f72672e6170616368652e73656174612e70726f746f636f6c2e70726f746f6275662e4d6572676564526573756c744d65737361676550726f746f0a02083c12620a52747970652e676f6f676c65617069732e636f6d2f6f72672e6170616368652e73656174612e70726f746f636f6c2e70726f746f6275662e4272616e63685265676973746572526573706f6e736550726f746f120c0a080a060a02080c1001104d";

    static final List<String> ALL = List.of(V37, V38, V39, V42, V43, V44, V45);

    @Test
    void v37GlobalBeginRequest() {
        assertGolden(V37, new GlobalBeginRequest(60000, "test-tx"));
    }

    @Test
    void v38GlobalBeginResponse() {
        assertGolden(V38, new GlobalBeginResponse(ResultCode.Success, "", TransactionExceptionCode.Unknown, XID, ""));
    }

    @Test
    void v39RegisterTmResponseCarriesResultCode() {
        assertGolden(V39, new RegisterTMResponse(true, "2.2.0", "", ResultCode.Success, ""));
    }

    @Test
    void v42RegisterRmRequest() {
        assertGolden(V42, new RegisterRMRequest("2.2.0", "app", "default_tx_group", "", "res1"));
    }

    @Test
    void v43BranchCommitRequest() {
        assertGolden(V43, new BranchEndRequest(true, XID, 2000042949L, BranchType.AT, "res1", ""));
    }

    @Test
    void v44MergedWarpMessageWithAnyElements() {
        assertGolden(V44, new MergedWarpMessage(
                List.of(new BranchRegisterRequest(XID, BranchType.AT, "r1", "t:1", "")), List.of(21)));
    }

    @Test
    void v45MergeResultMessage() {
        assertGolden(V45, new MergeResultMessage(
                List.of(new BranchRegisterResponse(ResultCode.Success, "", TransactionExceptionCode.Unknown, 77L))));
    }

    @Test
    void nullStringsEncodeLikeEmptyOnes() {
        // The reference writes "" for null, so a record with nulls must produce the vector's bytes too.
        assertArrayEquals(body(V38), codec.encode(
                new GlobalBeginResponse(ResultCode.Success, null, TransactionExceptionCode.Unknown, XID, null)));
        assertArrayEquals(body(V42), codec.encode(new RegisterRMRequest("2.2.0", "app", "default_tx_group", null, "res1")));
    }
}
