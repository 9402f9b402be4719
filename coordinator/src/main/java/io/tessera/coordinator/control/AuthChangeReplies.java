package io.tessera.coordinator.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** How the admin auth routes answer a change that did not go through. */
final class AuthChangeReplies {
    private AuthChangeReplies() {
    }

    static void failed(ChannelHandlerContext ctx, boolean keepAlive, ObjectMapper mapper, String what, Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof AuthChangeRefusedException refused) {
            HttpReplies.result(ctx, keepAlive, HttpResponseStatus.BAD_REQUEST, mapper, "400", refused.getMessage(), null);
            return;
        }
        // Replication failed (no leader, timeout, leader change): the change may or may not have applied.
        HttpReplies.result(ctx, keepAlive, HttpResponseStatus.SERVICE_UNAVAILABLE, mapper, "503",
                what + " not confirmed (" + cause.getMessage() + "); check and repeat if needed", null);
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
