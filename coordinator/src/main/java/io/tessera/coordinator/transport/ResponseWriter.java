package io.tessera.coordinator.transport;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.EncoderException;
import io.tessera.codec.CodecException;
import io.tessera.codec.RpcFrame;
import io.tessera.codec.message.MergeResultMessage;
import io.tessera.codec.message.Request;
import io.tessera.codec.message.Response;
import io.tessera.codec.text.ClientText;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes answers to clients. If an answer cannot be encoded (a service bug, e.g. a missing status),
 * the client still gets a Failed answer of the right type instead of waiting for its own timeout.
 */
final class ResponseWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ResponseWriter.class);

    private ResponseWriter() {
    }

    /** A null response is a withheld answer (RequestDispatcher): nothing is written. */
    static void write(ClientSession s, int requestId, Request request, Response response) {
        if (response == null) {
            return;
        }
        s.channel().writeAndFlush(RpcFrame.response(requestId, s.codec(), response)).addListener(
                (ChannelFutureListener) f -> {
                    // The description is only built for a failed write, never on the hot path.
                    if (!f.isSuccess() && failedToEncode(f, s, "response to " + Describe.request(request))) {
                        s.channel().writeAndFlush(RpcFrame.response(requestId, s.codec(),
                                FailedResponses.runtime(request, "internal error: response could not be encoded")));
                    }
                });
    }

    /**
     * Style A: one MergeResultMessage with the batch frame's id, results in request order. A style-A batch
     * has one frame for all its answers, so a withheld answer (null) withholds the whole batch: the
     * client's timeout then fails or retries every request in it (Seata TMs do not batch by default).
     */
    static void writeMerged(ClientSession s, int frameId, List<Request> requests, List<Response> responses) {
        if (responses.contains(null)) {
            return;
        }
        s.channel().writeAndFlush(RpcFrame.response(frameId, s.codec(), new MergeResultMessage(responses)))
                .addListener((ChannelFutureListener) f -> {
                    if (!f.isSuccess() && failedToEncode(f, s, "batch answer (frame " + frameId + ")")) {
                        List<Response> failed = requests.stream().map(r -> FailedResponses.runtime(r,
                                "internal error: batch answer could not be encoded")).toList();
                        s.channel().writeAndFlush(RpcFrame.response(frameId, s.codec(), new MergeResultMessage(failed)));
                    }
                });
    }

    /** @return true if the write failed because the message could not be encoded (logged) */
    private static boolean failedToEncode(ChannelFuture f, ClientSession s, String what) {
        if (f.isSuccess() || !s.alive()) {
            return false;
        }
        Throwable cause = f.cause();
        boolean encoding = cause instanceof EncoderException || cause instanceof CodecException;
        if (encoding) {
            // A service bug (an answer the codec refuses), not client input: always logged.
            LOG.error("{} to {} could not be encoded, answering Failed instead: {}", what, s,
                    ClientText.of(cause.getMessage(), 400));
        } else if (s.log().tryLog()) {
            LOG.warn("could not send {} to {}: {}{}", what, s, ClientText.of(cause.toString(), 400),
                    s.log().suppressedNote());
        }
        return encoding;
    }
}
