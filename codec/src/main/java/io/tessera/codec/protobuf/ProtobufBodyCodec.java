package io.tessera.codec.protobuf;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import io.tessera.codec.BodyCodec;
import io.tessera.codec.CodecException;
import io.tessera.codec.message.BatchResultMessage;
import io.tessera.codec.message.MergeResultMessage;
import io.tessera.codec.message.MergedWarpMessage;
import io.tessera.codec.message.Message;
import io.tessera.codec.protobuf.generated.BatchResultMessageProto;
import io.tessera.codec.protobuf.generated.MergedResultMessageProto;
import io.tessera.codec.protobuf.generated.MergedWarpMessageProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Codec byte 0x02 (spec §7.1): {@code i32 nameLen | UTF-8 full proto message name | protobuf bytes},
 * wire-compatible with seata-serializer-protobuf of both package namings ({@link ProtoNaming}): io.seata
 * 1.x/2.0.0 and org.apache.seata 2.x. Bodies of either naming are decoded; {@link #encode(Message)}
 * writes the APACHE naming, {@link #encode(Message, ProtoNaming)} the one asked for. Heartbeats have no
 * body on TCP and are not handled here. Stateless after construction and thread-safe.
 */
public final class ProtobufBodyCodec implements BodyCodec {

    public static final byte CODEC_ID = 0x02;

    private final ProtoTypeTable types = new ProtoTypeTable();
    private final SingleMessageMapper single = new SingleMessageMapper();
    private final BatchMapper batches = new BatchMapper(single, types);

    @Override
    public byte codecId() {
        return CODEC_ID;
    }

    @Override
    public byte[] encode(Message message) {
        return encode(message, ProtoNaming.APACHE);
    }

    /** {@code message} with its name, and the names of its batch elements, in {@code naming}. */
    public byte[] encode(Message message, ProtoNaming naming) {
        com.google.protobuf.Message proto = toProto(message, naming);
        byte[] name = naming.fullName(proto.getDescriptorForType().getName()).getBytes(StandardCharsets.UTF_8);
        int size = proto.getSerializedSize();
        byte[] body = new byte[4 + name.length + size];
        ByteBuffer.wrap(body).putInt(name.length).put(name);
        CodedOutputStream out = CodedOutputStream.newInstance(body, 4 + name.length, size);
        try {
            proto.writeTo(out);
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            // Writing into an exactly sized array cannot fail unless protobuf-java itself is broken.
            throw new IllegalStateException("protobuf serialization into sized buffer failed", e);
        }
        return body;
    }

    @Override
    public Message decode(byte[] body) {
        return decodeNamed(body).message();
    }

    /** A decoded body and the naming its sender used. */
    public record Named(Message message, ProtoNaming naming) {
        public Named {
            if (message == null || naming == null) {
                throw ProtoEnums.malformed("PROTOBUF body decoded to nothing");
            }
        }
    }

    /** Like {@link #decode}, and says which package naming the body's name used. */
    public Named decodeNamed(byte[] body) {
        if (body == null || body.length < 4) {
            throw ProtoEnums.malformed("PROTOBUF body shorter than its name length");
        }
        ByteBuffer in = ByteBuffer.wrap(body);
        int nameLen = in.getInt();
        if (nameLen < 0 || nameLen > in.remaining()) {
            throw ProtoEnums.malformed("PROTOBUF name length " + nameLen + " with " + in.remaining() + " bytes left");
        }
        String name = utf8(body, 4, nameLen);
        Parser<? extends com.google.protobuf.Message> parser = types.parser(name);
        if (parser == null) {
            throw new CodecException(CodecException.Reason.UNKNOWN_TYPE_CODE, "PROTOBUF message " + name);
        }
        int offset = 4 + nameLen;
        if (offset == body.length) {
            // The reference decodes an empty payload as null and then fails on it.
            throw ProtoEnums.malformed("empty " + name + " payload");
        }
        try {
            return new Named(fromProto(parser.parseFrom(body, offset, body.length - offset)), ProtoNaming.of(name));
        } catch (InvalidProtocolBufferException e) {
            throw new CodecException(CodecException.Reason.MALFORMED_BODY, name + ": " + e.getMessage(), e);
        } catch (CodecException e) {
            throw e;
        } catch (RuntimeException e) {
            // Safety net for the "only CodecException" contract: hostile bytes must never surface as
            // another exception type, whatever protobuf-java or a record constructor throws.
            throw new CodecException(CodecException.Reason.MALFORMED_BODY, name + ": " + e, e);
        }
    }

    private com.google.protobuf.Message toProto(Message message, ProtoNaming naming) {
        if (message instanceof MergedWarpMessage m) {
            return batches.toProto(m, naming);
        } else if (message instanceof MergeResultMessage m) {
            return batches.toProto(m, naming);
        } else if (message instanceof BatchResultMessage m) {
            return batches.toProto(m, naming);
        }
        return single.toProto(message);
    }

    private Message fromProto(com.google.protobuf.Message proto) {
        if (proto instanceof MergedWarpMessageProto p) {
            return batches.fromProto(p);
        } else if (proto instanceof MergedResultMessageProto p) {
            return batches.fromProto(p);
        } else if (proto instanceof BatchResultMessageProto p) {
            return batches.fromProto(p);
        }
        return single.fromProto(proto);
    }

    private static String utf8(byte[] bytes, int offset, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new CodecException(CodecException.Reason.UNKNOWN_TYPE_CODE, "PROTOBUF message name is not UTF-8", e);
        }
    }
}
