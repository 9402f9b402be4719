package io.tessera.codec;

import io.tessera.codec.message.HeartbeatMessage;
import io.tessera.codec.message.Message;
import java.util.Map;

/**
 * One protocol-v1 frame (spec §2): header fields plus the decoded body. For heartbeats the body is
 * {@link HeartbeatMessage} and nothing is serialized.
 */
public record RpcFrame(byte messageType, byte codec, byte compressor, int requestId,
        Map<String, String> headMap, Message body) {

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
    }

    public static RpcFrame request(int requestId, byte codec, Message body) {
        return new RpcFrame(TYPE_REQUEST, codec, COMPRESSOR_NONE, requestId, Map.of(), body);
    }

    public static RpcFrame response(int requestId, byte codec, Message body) {
        return new RpcFrame(TYPE_RESPONSE, codec, COMPRESSOR_NONE, requestId, Map.of(), body);
    }

    public static RpcFrame pong(RpcFrame ping) {
        return new RpcFrame(TYPE_HEARTBEAT_RESPONSE, ping.codec(), ping.compressor(), ping.requestId(),
                Map.of(), HeartbeatMessage.PONG);
    }

    public boolean isHeartbeat() {
        return messageType == TYPE_HEARTBEAT_REQUEST || messageType == TYPE_HEARTBEAT_RESPONSE;
    }
}
