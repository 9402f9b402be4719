package io.tessera.codec.oracle;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tessera.codec.RpcFrame;
import io.tessera.codec.message.HeartbeatMessage;
import io.tessera.codec.message.Message;
import java.util.HashMap;
import org.apache.seata.core.protocol.AbstractMessage;
import org.apache.seata.core.protocol.RpcMessage;
import org.apache.seata.core.rpc.netty.v1.ProtocolDecoderV1;
import org.apache.seata.core.rpc.netty.v1.ProtocolEncoderV1;

/**
 * The bridge between our message records and the real seata-all 2.5.0 classes, used as the judge
 * of our codecs. Maps both ways, field by field, enums by wire code (names differ: Seata renamed
 * FailedLockGlobalTranscation), and runs frames through seata-all's own ProtocolEncoderV1 and
 * ProtocolDecoderV1. Codec-agnostic: frames with codec byte 0x02 go through seata-all's PROTOBUF serializer.
 */
public final class SeataOracle {
    private final ProtocolEncoderV1 encoder = new ProtocolEncoderV1();
    private final ProtocolDecoderV1 decoder = new ProtocolDecoderV1();

    /** The version seata-all's message objects carry before a decoder sets one ("2.5.0"). */
    public static String seataDefaultVersion() {
        return new org.apache.seata.core.protocol.RegisterRMRequest().getVersion();
    }

    /** seata-all's encoding of {@code frame} (its body converted with {@link #toSeata}). */
    public byte[] encodeWithSeata(RpcFrame frame) {
        ByteBuf out = Unpooled.buffer();
        encoder.encode(toSeataRpc(frame), out);
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        return bytes;
    }

    /** seata-all's decoding of one whole frame, mapped back to our records. */
    public RpcFrame decodeWithSeata(byte[] frame) {
        return fromSeataRpc(decodeToSeataRpc(frame));
    }

    public RpcMessage decodeToSeataRpc(byte[] frame) {
        ByteBuf in = Unpooled.wrappedBuffer(frame);
        return decoder.decodeFrame(in);
    }

    public static RpcMessage toSeataRpc(RpcFrame f) {
        RpcMessage m = new RpcMessage();
        m.setId(f.requestId());
        m.setMessageType(f.messageType());
        m.setCodec(f.codec());
        m.setCompressor(f.compressor());
        m.setHeadMap(new HashMap<>(f.headMap()));
        m.setBody(f.isHeartbeat() ? (((HeartbeatMessage) f.body()).ping()
                ? org.apache.seata.core.protocol.HeartbeatMessage.PING
                : org.apache.seata.core.protocol.HeartbeatMessage.PONG) : toSeata(f.body()));
        return m;
    }

    public static RpcFrame fromSeataRpc(RpcMessage m) {
        Message body;
        if (m.getBody() instanceof org.apache.seata.core.protocol.HeartbeatMessage h) {
            body = h.isPing() ? HeartbeatMessage.PING : HeartbeatMessage.PONG;
        } else {
            body = fromSeata((AbstractMessage) m.getBody());
        }
        return new RpcFrame(m.getMessageType(), m.getCodec(), m.getCompressor(), m.getId(), m.getHeadMap(), body);
    }

    public static AbstractMessage toSeata(Message message) {
        return ToSeata.message(message);
    }

    public static Message fromSeata(AbstractMessage message) {
        return FromSeata.message(message);
    }
}
