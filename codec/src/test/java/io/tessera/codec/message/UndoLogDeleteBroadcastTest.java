package io.tessera.codec.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.tessera.codec.FrameCodec;
import io.tessera.codec.RpcFrame;
import io.tessera.codec.oracle.SeataOracle;
import io.tessera.codec.protobuf.ProtobufBodyCodec;
import io.tessera.codec.seata.SeataBodyCodec;
import java.util.List;
import java.util.Map;
import org.apache.seata.core.protocol.ProtocolConstants;
import org.apache.seata.core.protocol.RpcMessage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The frame the leader's undo-log delete broadcast sends (RmRequestSender.sendOneway): a oneway request
 * (msgType 2), body type 111, branchType AT, the resourceId, saveDays - read by seata-all's own decoder
 * as the UndoLogDeleteRequest its RM handles, in both codecs, and byte-identical to what seata-all encodes.
 */
class UndoLogDeleteBroadcastTest {
    private final FrameCodec frames = new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME_LENGTH,
            List.of(new SeataBodyCodec(), new ProtobufBodyCodec()));
    private final SeataOracle oracle = new SeataOracle();

    @ParameterizedTest(name = "codec {0}")
    @ValueSource(bytes = {RpcFrame.CODEC_SEATA, RpcFrame.CODEC_PROTOBUF})
    void seataAllReadsTheBroadcastFrame(byte codec) {
        UndoLogDeleteRequest request = new UndoLogDeleteRequest(BranchType.AT, "jdbc:mysql://127.0.0.1:3306/orders",
                (short) 7);
        RpcFrame frame = new RpcFrame(RpcFrame.TYPE_ONEWAY, codec, RpcFrame.COMPRESSOR_NONE, 42, Map.of(), request);
        byte[] ours = frames.encode(frame);

        RpcMessage theirs = oracle.decodeToSeataRpc(ours);
        assertEquals(ProtocolConstants.MSGTYPE_RESQUEST_ONEWAY, theirs.getMessageType());
        var body = assertInstanceOf(org.apache.seata.core.protocol.transaction.UndoLogDeleteRequest.class,
                theirs.getBody());
        assertEquals(111, body.getTypeCode());
        assertEquals(org.apache.seata.core.model.BranchType.AT, body.getBranchType());
        assertEquals("jdbc:mysql://127.0.0.1:3306/orders", body.getResourceId());
        assertEquals(7, body.getSaveDays());
        assertArrayEquals(oracle.encodeWithSeata(frame), ours, "the bytes seata-all writes for the same request");
    }
}
