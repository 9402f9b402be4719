package io.tessera.codec;

import io.tessera.codec.message.HeartbeatMessage;
import io.tessera.codec.message.Message;
import io.tessera.codec.protobuf.ProtoNaming;
import java.util.Map;

/**
 * One protocol-v1 frame (spec §2): header fields plus the decoded body. For heartbeats the body is
 * {@link HeartbeatMessage} and nothing is serialized.
 *
 * <p>{@code protoNaming} is the package naming of a PROTOBUF body (APACHE unless said otherwise; null
 * for every other codec). A decoded frame carries the naming its sender used; on a server connection
 * the {@link FrameEncoder} writes PROTOBUF frames in the naming the client last used (see there), so
 * code that answers a client need not care.
 */
public record RpcFrame(byte messageType, byte codec, byte compressor, int requestId,
        Map<String, String> headMap, Message body, ProtoNaming protoNaming) {

    public static final byte TYPE_REQUEST = 0;
    public static final byte TYPE_RESPONSE = 1;
    public static final byte TYPE_ONEWAY = 2;
    public static final byte TYPE_HEARTBEAT_REQUEST = 3;
    public static final byte TYPE_HEARTBEAT_RESPONSE = 4;

    public static final byte CODEC_SEATA = 0x01;
    public static final byte CODEC_PROTOBUF = 0x02;

    public static final byte COMPRESSOR_NONE = 0;

    public RpcFrame {
        headMap = headMap == null ? Map.of() : Map.copyOf(headMap);
        protoNaming = codec != CODEC_PROTOBUF ? null : protoNaming == null ? ProtoNaming.APACHE : protoNaming;
    }

    /** A frame whose PROTOBUF body (if any) uses the APACHE naming. */
    public RpcFrame(byte messageType, byte codec, byte compressor, int requestId, Map<String, String> headMap,
            Message body) {
        this(messageType, codec, compressor, requestId, headMap, body, null);
    }

    /** This frame with its PROTOBUF body in {@code naming} (no effect on other codecs). */
    public RpcFrame withProtoNaming(ProtoNaming naming) {
        return new RpcFrame(messageType, codec, compressor, requestId, headMap, body, naming);
    }

    public static RpcFrame request(int requestId, byte codec, Message body) {
        return new RpcFrame(TYPE_REQUEST, codec, COMPRESSOR_NONE, requestId, Map.of(), body);
    }

    public static RpcFrame response(int requestId, byte codec, Message body) {
        return new RpcFrame(TYPE_RESPONSE, codec, COMPRESSOR_NONE, requestId, Map.of(), body);
    }

    public static RpcFrame pong(RpcFrame ping) {
        return new RpcFrame(TYPE_HEARTBEAT_RESPONSE, ping.codec(), ping.compressor(), ping.requestId(),
                Map.of(), HeartbeatMessage.PONG, ping.protoNaming());
    }

    public boolean isHeartbeat() {
        return messageType == TYPE_HEARTBEAT_REQUEST || messageType == TYPE_HEARTBEAT_RESPONSE;
    }
}
