package io.tessera.codec.protobuf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tessera.codec.FrameCodec;
import io.tessera.codec.FrameDecoder;
import io.tessera.codec.FrameEncoder;
import io.tessera.codec.RpcFrame;
import io.tessera.codec.message.BranchEndRequest;
import io.tessera.codec.message.BranchRegisterResponse;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.MergeResultMessage;
import io.tessera.codec.message.RegisterTMRequest;
import io.tessera.codec.message.RegisterTMResponse;
import io.tessera.codec.message.ResultCode;
import io.tessera.codec.message.TransactionExceptionCode;
import io.tessera.codec.seata.SeataBodyCodec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * On a connection (decoder and encoder of one channel) PROTOBUF frames are answered in the package
 * naming the peer used, without the code that builds the answers knowing about namings.
 */
class ProtoNamingConnectionTest {
    private final ProtobufBodyCodec protobuf = new ProtobufBodyCodec();
    private final FrameCodec codec = new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME_LENGTH,
            List.of(new SeataBodyCodec(), protobuf));
    private final RegisterTMRequest register = new RegisterTMRequest("2.0.0", "app", "grp", "");

    @Test
    void anIoSeataPeerIsAnsweredAndCalledInItsNaming() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameEncoder(codec), new FrameDecoder(codec));
        RpcFrame in = read(ch, RpcFrame.request(1, RpcFrame.CODEC_PROTOBUF, register)
                .withProtoNaming(ProtoNaming.IO_SEATA));
        assertEquals(ProtoNaming.IO_SEATA, in.protoNaming());
        assertEquals(register, in.body());

        // Built the way the transport builds answers: no naming given.
        RpcFrame answer = RpcFrame.response(1, RpcFrame.CODEC_PROTOBUF,
                new RegisterTMResponse(true, "2.5.0", "", ResultCode.Success, ""));
        assertEquals(ProtoNaming.IO_SEATA, written(ch, answer).protoNaming());
        RpcFrame batch = RpcFrame.response(2, RpcFrame.CODEC_PROTOBUF, new MergeResultMessage(List.of(
                new BranchRegisterResponse(ResultCode.Success, "", TransactionExceptionCode.Unknown, 5L))));
        assertEquals(ProtoNaming.IO_SEATA, written(ch, batch).protoNaming());
        RpcFrame phaseTwo = RpcFrame.request(7, RpcFrame.CODEC_PROTOBUF,
                new BranchEndRequest(true, "x:1:2", 3L, BranchType.TCC, "r", ""));
        assertEquals(ProtoNaming.IO_SEATA, written(ch, phaseTwo).protoNaming());
        ch.finishAndReleaseAll();
    }

    @Test
    void anApachePeerAndASeataCodecPeerAreAnsweredAsBefore() {
        EmbeddedChannel apache = new EmbeddedChannel(new FrameEncoder(codec), new FrameDecoder(codec));
        assertEquals(ProtoNaming.APACHE, read(apache, RpcFrame.request(1, RpcFrame.CODEC_PROTOBUF, register))
                .protoNaming());
        assertEquals(ProtoNaming.APACHE, written(apache, RpcFrame.response(1, RpcFrame.CODEC_PROTOBUF,
                new RegisterTMResponse(true, "2.5.0", "", ResultCode.Success, ""))).protoNaming());
        apache.finishAndReleaseAll();

        EmbeddedChannel seata = new EmbeddedChannel(new FrameEncoder(codec), new FrameDecoder(codec));
        assertNull(read(seata, RpcFrame.request(1, RpcFrame.CODEC_SEATA, register)).protoNaming());
        assertNull(written(seata, RpcFrame.response(1, RpcFrame.CODEC_SEATA,
                new RegisterTMResponse(true, "2.5.0", null, ResultCode.Success, null))).protoNaming());
        seata.finishAndReleaseAll();
    }

    /** The frame as the channel's decoder hands it on, sent by a peer that encoded {@code sent}. */
    private RpcFrame read(EmbeddedChannel ch, RpcFrame sent) {
        ch.writeInbound(Unpooled.wrappedBuffer(codec.encode(sent)));
        return ch.readInbound();
    }

    /** The frame the channel's encoder put on the wire for {@code frame}, as the peer decodes it. */
    private RpcFrame written(EmbeddedChannel ch, RpcFrame frame) {
        ch.writeOutbound(frame);
        ByteBuf out = ch.readOutbound();
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        out.release();
        return codec.decode(bytes);
    }
}
