package io.tessera.coordinator.transport;

import io.tessera.codec.ForeignFrame;
import io.tessera.codec.RpcFrame;
import io.tessera.codec.message.RegisterRMResponse;
import io.tessera.codec.message.RegisterTMResponse;
import io.tessera.codec.message.ResultCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The answer to a registration in a serializer we do not speak (Kryo, Hessian, Fury, …), which a client
 * can read: a SEATA-codec RegisterTMResponse/RegisterRMResponse with identified=false. Without it the
 * client waits for its request timeout (30 s per listed node) and never learns why.
 *
 * <p>Every Seata client has the SEATA serializer; clients up to io.seata 2.0.0 decode a frame in any
 * serializer they have, 2.1+ only those in their {@code transport.serialization} list (the default list
 * holds SEATA; a list of only {@code kryo} does not, and such a client still times out).
 *
 * <p>The SEATA codec carries no message in these two responses, only {@code version}, and every client
 * release prints that field in its "register TM/RM failed. … server version: %s" error. So the reason
 * travels there, after our version.
 *
 * <p>TM or RM: the answer must be of the type the connection expects, or the client drops it as a
 * message it has no processor for. Serializers that write class names (Hessian) say which; those that
 * write registered class ids (Kryo, Fury) do not, and then both answers are sent under the request id,
 * TM first: each client role takes its own and logs the other as unprocessable.
 */
final class SerializerRefusal {
    private static final String SUPPORTED = "SEATA and PROTOBUF";

    private SerializerRefusal() {
    }

    /** Seata's SerializerType codes (their hex-looking literals are truncated bytes: 0x16 is 22). */
    static String serializerName(byte codec) {
        return switch (codec & 0xFF) {
            case 1 -> "SEATA";
            case 2 -> "PROTOBUF";
            case 4 -> "KRYO";
            case 8 -> "FST";
            case 22 -> "HESSIAN";
            case 40 -> "GRPC";
            case 50 -> "JACKSON";
            case 86 -> "FURY";
            case 87 -> "FORY";
            case 100 -> "FASTJSON2";
            default -> "unknown serializer code " + (codec & 0xFF);
        };
    }

    /** What the client's log will show after "server version:" (and what we log). */
    static String reason(byte codec) {
        return "Tessera refuses the " + serializerName(codec) + " serializer (codec " + (codec & 0xFF)
                + "): it speaks only " + SUPPORTED + "; set transport.serialization=seata on the client";
    }

    /** The frames to write, in order, before closing; empty if {@code f} cannot be a registration. */
    static List<RpcFrame> answers(ForeignFrame f, String serverVersion) {
        if (f.messageType() != RpcFrame.TYPE_REQUEST) {
            return List.of();
        }
        String version = serverVersion + " (" + reason(f.codec()) + ")";
        String body = new String(f.bodyStart(), StandardCharsets.ISO_8859_1);
        boolean tm = body.contains("RegisterTMRequest");
        boolean rm = body.contains("RegisterRMRequest");
        List<RpcFrame> out = new ArrayList<>(2);
        if (tm || !rm) {
            out.add(RpcFrame.response(f.requestId(), RpcFrame.CODEC_SEATA,
                    new RegisterTMResponse(false, version, null, ResultCode.Failed, null)));
        }
        if (rm || !tm) {
            out.add(RpcFrame.response(f.requestId(), RpcFrame.CODEC_SEATA,
                    new RegisterRMResponse(false, version, null, ResultCode.Failed, null)));
        }
        return out;
    }
}
