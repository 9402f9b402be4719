package io.tessera.codec.message;

import java.util.List;

/** A client batch (type 59, frame messageType 2). msgIds[i] is the request id of msgs[i]. */
public record MergedWarpMessage(List<Request> msgs, List<Integer> msgIds) implements Message {
    public MergedWarpMessage {
        msgs = List.copyOf(msgs);
        msgIds = List.copyOf(msgIds);
    }

    @Override
    public int typeCode() {
        return MessageTypes.SEATA_MERGE;
    }
}
