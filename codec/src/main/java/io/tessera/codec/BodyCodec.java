package io.tessera.codec;

import io.tessera.codec.message.Message;

/**
 * Serializes message bodies for one codec byte (spec §6, §7). Works on uncompressed bytes; the
 * frame layer applies the compressor. Implementations are stateless and thread-safe.
 */
public interface BodyCodec {
    /** The frame codec byte this implementation handles (0x01 SEATA, 0x02 PROTOBUF). */
    byte codecId();

    byte[] encode(Message message);

    /** @throws CodecException (reason MALFORMED_BODY or UNKNOWN_TYPE_CODE) for any bad input */
    Message decode(byte[] body);
}
