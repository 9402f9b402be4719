package io.tessera.raft.group;

import com.alipay.remoting.CustomSerializer;
import com.alipay.remoting.CustomSerializerManager;
import com.alipay.remoting.DefaultCustomSerializer;
import com.alipay.remoting.InvokeContext;
import com.alipay.remoting.exception.DeserializationException;
import com.alipay.remoting.rpc.RequestCommand;
import com.alipay.remoting.rpc.ResponseCommand;
import com.alipay.remoting.rpc.protocol.RpcRequestCommand;
import com.alipay.remoting.rpc.protocol.RpcResponseCommand;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.tessera.raft.group.proto.ForwardRequest;
import io.tessera.raft.group.proto.ForwardResponse;
import io.tessera.raft.group.proto.PeerCallRequest;
import io.tessera.raft.group.proto.PeerCallResponse;

/**
 * Puts our protobuf RPC messages on jraft's bolt transport as plain protobuf bytes.
 *
 * <p>Why not {@code RpcFactoryHelper.rpcFactory().registerProtobufSerializer}: in jraft-core 1.3.15 (bolt
 * factory) it registers jraft's {@code ProtobufSerializer}, which parses through
 * {@code ProtobufMsgFactory} — a table built once from jraft's own {@code raft.desc}, so our message
 * classes would fail with MessageClassNotFoundException on receipt. {@code MarshallerHelper} exists only
 * in the gRPC extension, not in jraft-core. Bolt's own per-class hook is {@link CustomSerializerManager};
 * it is process-global (bolt's design), so registration is idempotent and shared by every group.
 */
final class ProtoWire {
    private ProtoWire() {
    }

    static void register() {
        synchronized (CustomSerializerManager.class) {
            registerOne(ForwardRequest.class.getName(), ForwardRequest.parser());
            registerOne(ForwardResponse.class.getName(), ForwardResponse.parser());
            registerOne(PeerCallRequest.class.getName(), PeerCallRequest.parser());
            registerOne(PeerCallResponse.class.getName(), PeerCallResponse.parser());
        }
    }

    private static void registerOne(String className, Parser<? extends Message> parser) {
        if (CustomSerializerManager.getCustomSerializer(className) == null) {
            CustomSerializerManager.registerCustomSerializer(className, new Serializer(parser));
        }
    }

    private static final class Serializer extends DefaultCustomSerializer {
        private final Parser<? extends Message> parser;

        Serializer(Parser<? extends Message> parser) {
            this.parser = parser;
        }

        @Override
        public <T extends RequestCommand> boolean serializeContent(T request, InvokeContext ctx) {
            RpcRequestCommand cmd = (RpcRequestCommand) request;
            cmd.setContent(((Message) cmd.getRequestObject()).toByteArray());
            return true;
        }

        @Override
        public <T extends ResponseCommand> boolean serializeContent(T response) {
            RpcResponseCommand cmd = (RpcResponseCommand) response;
            Object body = cmd.getResponseObject();
            if (!(body instanceof Message m)) {
                // An exception reply from bolt itself: let bolt's default serializer handle it.
                return false;
            }
            cmd.setContent(m.toByteArray());
            return true;
        }

        @Override
        public <T extends RequestCommand> boolean deserializeContent(T request) throws DeserializationException {
            RpcRequestCommand cmd = (RpcRequestCommand) request;
            cmd.setRequestObject(parse(cmd.getContent()));
            return true;
        }

        @Override
        public <T extends ResponseCommand> boolean deserializeContent(T response, InvokeContext ctx)
                throws DeserializationException {
            RpcResponseCommand cmd = (RpcResponseCommand) response;
            cmd.setResponseObject(parse(cmd.getContent()));
            return true;
        }

        private Message parse(byte[] content) throws DeserializationException {
            try {
                return parser.parseFrom(content == null ? new byte[0] : content);
            } catch (InvalidProtocolBufferException e) {
                throw new DeserializationException("bad protobuf body: " + e.getMessage(), e);
            }
        }
    }
}
