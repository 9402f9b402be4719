package io.tessera.coordinator.transport;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import io.tessera.codec.CodecException;
import io.tessera.codec.ForeignFrame;
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
import io.tessera.codec.text.ClientText;
import io.tessera.coordinator.clientauth.RegistrationAuthenticator;
import io.tessera.coordinator.config.NodeConfigLoader;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a transaction-port connection: registration, heartbeats, hand-off of
 * requests to the dispatcher, and routing of RM answers. One instance per connection; its fields are
 * only touched on the connection's event loop.
 *
 * <p>Anything the client should never send (a transactional request before registration, a message
 * only a TC sends, undecodable bytes) closes this connection only, with one log line within the
 * connection's log budget. A connection must register within the registration timeout; pings are
 * answered before registration (as Seata's TC does) but do not extend that deadline. A registration
 * over a size bound or without a valid signature (client auth on) is answered {@code identified=false}
 * with the reason, then closed; so is a first frame in a serializer we do not speak
 * ({@link SerializerRefusal}).
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionHandler.class);

    private final ClientSessions sessions;
    private final RequestDispatcher dispatcher;
    private final BatchResponder batches;
    private final ConnectionRules rules;
    private final int maxResourceIds;
    private final LogLimiter.Gate log;
    private ClientSession session;
    private ScheduledFuture<?> registrationDeadline;

    ConnectionHandler(ClientSessions sessions, RequestDispatcher dispatcher, ConnectionRules rules, int maxResourceIds,
            LogLimiter.Gate log) {
        this.sessions = sessions;
        this.dispatcher = dispatcher;
        this.batches = new BatchResponder(dispatcher);
        this.rules = rules;
        this.maxResourceIds = maxResourceIds;
        this.log = log;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        registrationDeadline = ctx.executor().schedule(() -> {
            if (session == null && ctx.channel().isActive()) {
                close(ctx, "not registered within " + rules.registrationTimeoutMs() + " ms ("
                        + NodeConfigLoader.REGISTRATION_TIMEOUT + ")");
            }
        }, rules.registrationTimeoutMs(), TimeUnit.MILLISECONDS);
        super.channelActive(ctx);
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
        } else if (session == null) {
            close(ctx, (body instanceof Request r ? Describe.request(r) : "message type " + body.typeCode())
                    + " before registration");
        } else if (body instanceof BranchEndResponse answer) {
            sessions.rmResponse(session, frame.requestId(), answer);
        } else if (body instanceof MergedWarpMessage batch) {
            for (Request sub : batch.msgs()) {
                if (!FailedResponses.answerable(sub)) {
                    close(ctx, "batch contains type " + sub.typeCode() + ", which a client may not batch");
                    return;
                }
            }
            batches.answer(session, frame.requestId(), batch);
        } else if (body instanceof Request request && FailedResponses.answerable(request)) {
            ClientSession s = session;
            int requestId = frame.requestId();
            dispatcher.dispatch(s, request)
                    .thenAccept(response -> ResponseWriter.write(s, requestId, request, response));
        } else {
            close(ctx, "unexpected message type " + body.typeCode() + " (frame type " + frame.messageType() + ")");
        }
    }

    private void registerTm(ChannelHandlerContext ctx, RpcFrame frame, RegisterTMRequest r) {
        if (session != null) {
            if (session.role() != ClientRole.TM) {
                close(ctx, "RegisterTM on a connection registered as " + session.role());
                return;
            }
            // A repeat changes nothing: the identity was fixed (and checked) by the first registration.
            answerTm(ctx, frame, true, null);
            return;
        }
        String refusal = rules.fields().registerTm(r);
        if (refusal == null) {
            RegistrationAuthenticator.Verdict verdict = rules.auth().tm(r);
            refusal = verdict.accepted() ? null : "RegisterTM refused: " + verdict.refusal();
        }
        if (refusal != null) {
            refuse(ctx, frame, true, r.applicationId(), refusal);
            return;
        }
        session = newSession(ctx, ClientRole.TM, r.version(), r.applicationId(), r.transactionServiceGroup(), frame);
        sessions.registered(session);
        if (session.log().tryLog()) {
            LOG.info("TM registered: {}{}", session, session.log().suppressedNote());
        }
        answerTm(ctx, frame, true, null);
    }

    private void registerRm(ChannelHandlerContext ctx, RpcFrame frame, RegisterRMRequest r) {
        if (session != null && session.role() != ClientRole.RM) {
            close(ctx, "RegisterRM on a connection registered as " + session.role());
            return;
        }
        String refusal = rules.fields().registerRm(r);
        if (refusal == null && session == null) {
            String peerIp = peerIp(ctx);
            RegistrationAuthenticator.Verdict verdict = rules.auth().rm(r, sessions.hasTm(r.applicationId(), peerIp));
            refusal = verdict.accepted() ? null : "RegisterRM refused: " + verdict.refusal();
        }
        if (refusal != null) {
            refuse(ctx, frame, false, r.applicationId(), refusal);
            return;
        }
        boolean first = session == null;
        ClientSession s = first
                ? newSession(ctx, ClientRole.RM, r.version(), r.applicationId(), r.transactionServiceGroup(), frame)
                : session;
        Set<String> added = s.addResources(r.resourceIds(), maxResourceIds);
        if (added == null) {
            refuse(ctx, frame, false, r.applicationId(), "RegisterRM refused: the connection would then hold more"
                    + " resource ids than " + NodeConfigLoader.MAX_RESOURCE_IDS + "=" + maxResourceIds);
            return;
        }
        if (first) {
            session = s;
            sessions.registered(s);
            if (s.log().tryLog()) {
                LOG.info("RM registered: {} resources {}{}", s, Describe.sample(s.resourceIds()), s.log().suppressedNote());
            }
        } else {
            sessions.resourcesAdded(s, added);
            if (!added.isEmpty() && s.log().tryLog()) {
                LOG.info("RM {} added resources {}{}", s, Describe.sample(added), s.log().suppressedNote());
            }
        }
        ctx.writeAndFlush(RpcFrame.response(frame.requestId(), frame.codec(),
                new RegisterRMResponse(true, rules.serverVersion(), null, ResultCode.Success, null)));
    }

    private ClientSession newSession(ChannelHandlerContext ctx, ClientRole role, String version, String applicationId,
            String group, RpcFrame frame) {
        cancelRegistrationDeadline();
        return new ClientSession(ctx.channel(), role, version, applicationId, group, frame.codec(),
                (InetSocketAddress) ctx.channel().remoteAddress(), log);
    }

    private void answerTm(ChannelHandlerContext ctx, RpcFrame frame, boolean identified, String msg) {
        ctx.writeAndFlush(RpcFrame.response(frame.requestId(), frame.codec(), new RegisterTMResponse(identified,
                rules.serverVersion(), null, identified ? ResultCode.Success : ResultCode.Failed, msg)));
    }

    /**
     * identified=false with the reason (only the PROTOBUF codec carries a message; a SEATA-codec client
     * sees the refusal without it), then close: a refused client must not linger until a deadline.
     */
    private void refuse(ChannelHandlerContext ctx, RpcFrame frame, boolean tm, String applicationId, String reason) {
        cancelRegistrationDeadline();
        String msg = FailedResponses.bounded(reason);
        Message answer = tm
                ? new RegisterTMResponse(false, rules.serverVersion(), null, ResultCode.Failed, msg)
                : new RegisterRMResponse(false, rules.serverVersion(), null, ResultCode.Failed, msg);
        if (log.tryLog()) {
            LOG.warn("closing {} (application {}): {}{}", ctx.channel().remoteAddress(), ClientText.of(applicationId),
                    ClientText.of(reason, 400), log.suppressedNote());
        }
        ctx.writeAndFlush(RpcFrame.response(frame.requestId(), frame.codec(), answer))
                .addListener(ChannelFutureListener.CLOSE);
    }

    /** @param reason log-safe text (client strings already passed through {@link ClientText}) */
    private void close(ChannelHandlerContext ctx, String reason) {
        if (log.tryLog()) {
            LOG.warn("closing {} ({}): {}{}", ctx.channel().remoteAddress(), session == null ? "unregistered" : session,
                    reason, log.suppressedNote());
        }
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            close(ctx, "nothing read within the idle timeout (" + NodeConfigLoader.READER_IDLE + ")");
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
        if (root instanceof CodecException codec && codec.foreignFrame() != null && session == null) {
            refuseSerializer(ctx, codec.foreignFrame());
        } else if (root instanceof CodecException codec) {
            close(ctx, "bad input: " + ClientText.of(root.getMessage(), 400) + limitKey(codec.reason()));
        } else if (cause instanceof DecoderException) {
            close(ctx, "bad input: " + ClientText.of(root.getMessage(), 400));
        } else {
            close(ctx, ClientText.of(root.toString(), 400));
        }
    }

    /** A first frame in a serializer we do not speak: answered so the client can say why (SerializerRefusal). */
    private void refuseSerializer(ChannelHandlerContext ctx, ForeignFrame frame) {
        cancelRegistrationDeadline();
        List<RpcFrame> answers = SerializerRefusal.answers(frame, rules.serverVersion());
        if (log.tryLog()) {
            LOG.warn("closing {}: {}{}{}", ctx.channel().remoteAddress(), SerializerRefusal.reason(frame.codec()),
                    answers.isEmpty() ? "" : " (registration refused)", log.suppressedNote());
        }
        if (answers.isEmpty()) {
            ctx.close();
            return;
        }
        for (int i = 0; i < answers.size() - 1; i++) {
            ctx.write(answers.get(i));
        }
        ctx.writeAndFlush(answers.get(answers.size() - 1)).addListener(ChannelFutureListener.CLOSE);
    }

    /** The setting an operator would change when a connection is closed for this reason. */
    private static String limitKey(CodecException.Reason reason) {
        return switch (reason) {
            case FRAME_TIMEOUT -> " (" + NodeConfigLoader.FRAME_TIMEOUT + ")";
            case PENDING_BYTES_LIMIT -> " (" + NodeConfigLoader.MAX_PENDING_FRAME_BYTES + ")";
            case FRAME_TOO_LONG -> " (" + NodeConfigLoader.MAX_FRAME_LENGTH + ")";
            default -> "";
        };
    }

    private void cancelRegistrationDeadline() {
        if (registrationDeadline != null) {
            registrationDeadline.cancel(false);
            registrationDeadline = null;
        }
    }

    private static String peerIp(ChannelHandlerContext ctx) {
        return ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelRegistrationDeadline();
        if (session != null) {
            sessions.closed(session);
        }
        super.channelInactive(ctx);
    }
}
