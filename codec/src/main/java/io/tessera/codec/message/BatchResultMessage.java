package io.tessera.codec.message;

import java.util.List;

/** Answers sub-requests by their ids (type 121); may cover part of a batch. */
public record BatchResultMessage(List<Response> results, List<Integer> msgIds) implements Message {
    public BatchResultMessage {
        results = List.copyOf(results);
        msgIds = List.copyOf(msgIds);
    }

    @Override
    public int typeCode() {
        return MessageTypes.BATCH_RESULT_MSG;
    }
}
