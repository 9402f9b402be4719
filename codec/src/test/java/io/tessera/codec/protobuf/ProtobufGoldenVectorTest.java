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
import io.tessera.codec.oracle.SeataVectors;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The PROTOBUF vectors of seata-vectors.txt (test resource copy of the shared docs) (produced by seata-all 2.2.0 with
 * seata-serializer-protobuf 2.2.0): decode the body, check every field, re-encode byte for byte.
 */
class ProtobufGoldenVectorTest {

    private static final String XID = "192.168.0.2:8091:2000042948";
    private static final SeataVectors VECTORS = SeataVectors.load();

    private final ProtobufBodyCodec codec = new ProtobufBodyCodec();

    /** Body of a vector's v1 frame: everything after the head (whose length is bytes 7-8). */
    static byte[] body(String vectorId) {
        byte[] frame = VECTORS.frame(vectorId);
        ByteBuffer b = ByteBuffer.wrap(frame);
        int fullLength = b.getInt(3);
        int headLength = b.getShort(7);
        assertEquals(frame.length, fullLength, "vector frame length");
        return Arrays.copyOfRange(frame, headLength, fullLength);
    }

    private void assertGolden(String vectorId, Message expected) {
        byte[] body = body(vectorId);
        assertEquals(expected, codec.decode(body));
        assertArrayEquals(body, codec.encode(expected), "re-encoded bytes differ");
    }


    static final List<String> IDS = List.of("V37", "V38", "V39", "V42", "V43", "V44", "V45");

    @Test
    void v37GlobalBeginRequest() {
        assertGolden("V37", new GlobalBeginRequest(60000, "test-tx"));
    }

    @Test
    void v38GlobalBeginResponse() {
        assertGolden("V38", new GlobalBeginResponse(ResultCode.Success, "", TransactionExceptionCode.Unknown, XID, ""));
    }

    @Test
    void v39RegisterTmResponseCarriesResultCode() {
        assertGolden("V39", new RegisterTMResponse(true, "2.2.0", "", ResultCode.Success, ""));
    }

    @Test
    void v42RegisterRmRequest() {
        assertGolden("V42", new RegisterRMRequest("2.2.0", "app", "default_tx_group", "", "res1"));
    }

    @Test
    void v43BranchCommitRequest() {
        assertGolden("V43", new BranchEndRequest(true, XID, 2000042949L, BranchType.AT, "res1", ""));
    }

    @Test
    void v44MergedWarpMessageWithAnyElements() {
        assertGolden("V44", new MergedWarpMessage(
                List.of(new BranchRegisterRequest(XID, BranchType.AT, "r1", "t:1", "")), List.of(21)));
    }

    @Test
    void v45MergeResultMessage() {
        assertGolden("V45", new MergeResultMessage(
                List.of(new BranchRegisterResponse(ResultCode.Success, "", TransactionExceptionCode.Unknown, 77L))));
    }

    @Test
    void nullStringsEncodeLikeEmptyOnes() {
        // The reference writes "" for null, so a record with nulls must produce the vector's bytes too.
        assertArrayEquals(body("V38"), codec.encode(
                new GlobalBeginResponse(ResultCode.Success, null, TransactionExceptionCode.Unknown, XID, null)));
        assertArrayEquals(body("V42"), codec.encode(new RegisterRMRequest("2.2.0", "app", "default_tx_group", null, "res1")));
    }
}
