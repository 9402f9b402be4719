package io.tessera.codec.message;

/**
 * A Seata message body. {@link #typeCode()} is the 2-byte type code that starts a SEATA-codec body
 * (spec §5). Strings are nullable: the SEATA codec cannot tell null from empty (spec §6.1), so
 * decoders produce what seata-all's decoder produces for that field and comparisons treat both
 * as "absent" where the spec says so.
 */
public sealed interface Message permits Request, Response, MergedWarpMessage, MergeResultMessage,
        BatchResultMessage, HeartbeatMessage {
    int typeCode();
}
