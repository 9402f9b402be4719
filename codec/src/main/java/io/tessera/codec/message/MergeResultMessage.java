package io.tessera.codec.message;

import java.util.List;

/** Answers a MergedWarpMessage in order (type 60); the frame id is the batch frame's id. */
public record MergeResultMessage(List<Response> msgs) implements Message {
    public MergeResultMessage {
        msgs = List.copyOf(msgs);
    }

    @Override
    public int typeCode() {
        return MessageTypes.SEATA_MERGE_RESULT;
    }
}
