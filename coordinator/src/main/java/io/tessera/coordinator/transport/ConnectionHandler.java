package io.tessera.coordinator.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import io.tessera.codec.CodecException;
import io.tessera.codec.RpcFrame;
import io.tessera.codec.message.BranchEndResponse;
import io.tessera.codec.message.MergedWarpMessage;
import io.tessera.codec.message.Message;
import io.tessera.codec.message.RegisterRMRequest;
import io.tessera.codec.message.RegisterRMResponse;
import io.tessera.codec.message.RegisterTMRequest;
import io.tessera.codec.message.RegisterTMResponse;
import io.tessera.codec.message.Request;
import io.tessera.codec.message.ResultCode;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a transaction-port connection: registration, heartbeats, hand-off of
 * requests to the dispatcher, and routing of RM answers. One instance per connection; its
 * {@code session} field is only touched on the connection's event loop.
 *
 * <p>Anything the client should never send (a transactional request before registration, a message
 * only a TC sends, undecodable bytes) closes this connection only, with one log line.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionHandler.class);

    private final ClientSessions sessions;
    private final RequestDispatcher dispatcher;
    private final BatchResponder batches;
    private final String serverVersion;
    private ClientSession session;

    ConnectionHandler(ClientSessions sessions, RequestDispatcher dispatcher, String serverVersion) {
        this.sessions = sessions;
        this.dispatcher = dispatcher;
        this.batches = new BatchResponder(dispatcher);
        this.serverVersion = serverVersion;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        RpcFrame frame = (RpcFrame) msg;
        if (frame.messageType() == RpcFrame.TYPE_HEARTBEAT_REQUEST) {
            ctx.writeAndFlush(RpcFrame.pong(frame));
            return;
        }
        if (frame.messageType() == RpcFrame.TYPE_HEARTBEAT_RESPONSE) {
            return;
        }
        Message body = frame.body();
        if (body instanceof RegisterTMRequest tm) {
            registerTm(ctx, frame, tm);
        } else if (body instanceof RegisterRMRequest rm) {
            registerRm(ctx, frame, rm);
        } else if (body instanceof BranchEndResponse answer) {
            sessions.rmResponse(session, frame.requestId(), answer);
        } else if (body instanceof MergedWarpMessage batch) {
            if (session == null) {
                close(ctx, "MergedWarpMessage before registration");
            } else {
                for (Request sub : batch.msgs()) {
                    if (!FailedResponses.answerable(sub)) {
                        close(ctx, "batch contains type " + sub.typeCode() + ", which a client may not batch");
                        return;
                    }
                }
                batches.answer(session, frame.requestId(), batch);
            }
        } else if (body instanceof Request request && FailedResponses.answerable(request)) {
            ClientSession s = session;
            if (s == null) {
                close(ctx, Describe.request(request) + " before registration");
            } else {
                int requestId = frame.requestId();
                dispatcher.dispatch(s, request)
                        .thenAccept(response -> ResponseWriter.write(s, requestId, request, response));
            }
        } else {
            close(ctx, "unexpected message type " + body.typeCode() + " (frame type " + frame.messageType() + ")");
        }
    }

    private void registerTm(ChannelHandlerContext ctx, RpcFrame frame, RegisterTMRequest r) {
        if (session != null && session.role() != ClientRole.TM) {
            close(ctx, "RegisterTM on a connection registered as " + session.role());
            return;
        }
        if (session == null) {
            session = new ClientSession(ctx.channel(), ClientRole.TM, r.version(), r.applicationId(),
                    r.transactionServiceGroup(), frame.codec());
            sessions.registered(session);
            LOG.info("TM registered: {} group={} version={}", session.clientId(), r.transactionServiceGroup(),
                    r.version());
        }
        ctx.writeAndFlush(RpcFrame.response(frame.requestId(), frame.codec(),
                new RegisterTMResponse(true, serverVersion, null, ResultCode.Success, null)));
    }

    private void registerRm(ChannelHandlerContext ctx, RpcFrame frame, RegisterRMRequest r) {
        if (session != null && session.role() != ClientRole.RM) {
            close(ctx, "RegisterRM on a connection registered as " + session.role());
            return;
        }
        if (session == null) {
            session = new ClientSession(ctx.channel(), ClientRole.RM, r.version(), r.applicationId(),
                    r.transactionServiceGroup(), frame.codec());
            session.addResources(r.resourceIds());
            sessions.registered(session);
            LOG.info("RM registered: {} group={} version={} resources={}", session.clientId(),
                    r.transactionServiceGroup(), r.version(), session.resourceIds());
        } else {
            Set<String> added = session.addResources(r.resourceIds());
            sessions.resourcesAdded(session, added);
            if (!added.isEmpty()) {
                LOG.info("RM {} added resources {}", session.clientId(), added);
            }
        }
        ctx.writeAndFlush(RpcFrame.response(frame.requestId(), frame.codec(),
                new RegisterRMResponse(true, serverVersion, null, ResultCode.Success, null)));
    }

    private void close(ChannelHandlerContext ctx, String reason) {
        LOG.warn("closing {} ({}): {}", ctx.channel().remoteAddress(), session == null ? "unregistered" : session.clientId(),
                reason);
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            close(ctx, "nothing read within the idle timeout");
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!ctx.channel().isActive()) {
            return;
        }
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof CodecException || cause instanceof DecoderException) {
            close(ctx, "bad input: " + root.getMessage());
        } else {
            close(ctx, root.toString());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (session != null) {
            sessions.closed(session);
        }
        super.channelInactive(ctx);
    }
}
