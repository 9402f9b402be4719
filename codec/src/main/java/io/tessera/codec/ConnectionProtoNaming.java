package io.tessera.codec;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.tessera.codec.protobuf.ProtoNaming;

/**
 * The PROTOBUF package naming a connection's peer speaks, learned by its {@link FrameDecoder} from the
 * frames it reads and applied by its {@link FrameEncoder} to the frames it writes. A client uses one
 * naming for its whole life, so answering (and sending BranchCommit/Rollback) in the naming of its last
 * PROTOBUF frame is answering in its own; nothing above the frame layer has to know there are two.
 */
final class ConnectionProtoNaming {
    private static final AttributeKey<ProtoNaming> KEY = AttributeKey.valueOf(ConnectionProtoNaming.class, "naming");

    private ConnectionProtoNaming() {
    }

    static void learn(Channel channel, RpcFrame read) {
        if (read.protoNaming() != null) {
            channel.attr(KEY).set(read.protoNaming());
        }
    }

    /** {@code frame} in the naming the peer uses; unchanged before the peer sent any PROTOBUF frame. */
    static RpcFrame apply(Channel channel, RpcFrame frame) {
        ProtoNaming peers = frame.protoNaming() == null ? null : channel.attr(KEY).get();
        return peers == null || peers == frame.protoNaming() ? frame : frame.withProtoNaming(peers);
    }
}
