package io.tessera.codec.protobuf;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import io.tessera.codec.CodecException;
import io.tessera.codec.message.BatchResultMessage;
import io.tessera.codec.message.MergeResultMessage;
import io.tessera.codec.message.MergedWarpMessage;
import io.tessera.codec.message.Message;
import io.tessera.codec.message.Request;
import io.tessera.codec.message.Response;
import io.tessera.codec.protobuf.generated.BatchResultMessageProto;
import io.tessera.codec.protobuf.generated.MergedResultMessageProto;
import io.tessera.codec.protobuf.generated.MergedWarpMessageProto;
import java.util.ArrayList;
import java.util.List;

/**
 * The three batch containers. Elements are google.protobuf.Any whose type URL is
 * {@code type.googleapis.com/<full message name>}; like the reference, only the part after the last
 * '/' is used to find the element type. Elements are read in either naming and written in the naming
 * asked for, the one of the client that will read them.
 */
final class BatchMapper {

    private final SingleMessageMapper single;
    private final ProtoTypeTable types;

    BatchMapper(SingleMessageMapper single, ProtoTypeTable types) {
        this.single = single;
        this.types = types;
    }

    MergedWarpMessageProto toProto(MergedWarpMessage m, ProtoNaming naming) {
        return MergedWarpMessageProto.newBuilder()
                .setAbstractMessage(ProtoHeaders.message(m.typeCode()))
                .addAllMsgs(pack(m.msgs(), naming))
                .addAllMsgIds(m.msgIds())
                .build();
    }

    MergedResultMessageProto toProto(MergeResultMessage m, ProtoNaming naming) {
        return MergedResultMessageProto.newBuilder()
                .setAbstractMessage(ProtoHeaders.message(m.typeCode()))
                .addAllMsgs(pack(m.msgs(), naming))
                .build();
    }

    BatchResultMessageProto toProto(BatchResultMessage m, ProtoNaming naming) {
        return BatchResultMessageProto.newBuilder()
                .setAbstractMessage(ProtoHeaders.message(m.typeCode()))
                .addAllResultMessages(pack(m.results(), naming))
                .addAllMsgIds(m.msgIds())
                .build();
    }

    MergedWarpMessage fromProto(MergedWarpMessageProto p) {
        return new MergedWarpMessage(unpack(p.getMsgsList(), Request.class), p.getMsgIdsList());
    }

    MergeResultMessage fromProto(MergedResultMessageProto p) {
        return new MergeResultMessage(unpack(p.getMsgsList(), Response.class));
    }

    BatchResultMessage fromProto(BatchResultMessageProto p) {
        return new BatchResultMessage(unpack(p.getResultMessagesList(), Response.class), p.getMsgIdsList());
    }

    /** Like {@code Any.pack}, which can only write our schema's own (APACHE) package name. */
    private List<Any> pack(List<? extends Message> messages, ProtoNaming naming) {
        List<Any> packed = new ArrayList<>(messages.size());
        for (Message m : messages) {
            com.google.protobuf.Message proto = single.toProto(m);
            packed.add(Any.newBuilder()
                    .setTypeUrl(naming.typeUrl(proto.getDescriptorForType().getName()))
                    .setValue(proto.toByteString())
                    .build());
        }
        return packed;
    }

    private <T extends Message> List<T> unpack(List<Any> elements, Class<T> expected) {
        List<T> out = new ArrayList<>(elements.size());
        for (Any any : elements) {
            String url = any.getTypeUrl();
            String name = url.substring(url.lastIndexOf('/') + 1);
            Parser<? extends com.google.protobuf.Message> parser = url.indexOf('/') < 0 ? null : types.parser(name);
            if (parser == null) {
                throw new CodecException(CodecException.Reason.UNKNOWN_TYPE_CODE, "batch element type " + url);
            }
            Message element;
            try {
                element = single.fromProto(parser.parseFrom(any.getValue()));
            } catch (InvalidProtocolBufferException e) {
                throw new CodecException(CodecException.Reason.MALFORMED_BODY, "batch element " + name, e);
            }
            if (!expected.isInstance(element)) {
                throw ProtoEnums.malformed("batch element " + name + " is not a " + expected.getSimpleName());
            }
            out.add(expected.cast(element));
        }
        return out;
    }
}
