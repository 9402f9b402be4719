package io.tessera.admin;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.tessera.codec.FrameCodec;
import io.tessera.codec.FrameDecoder;
import io.tessera.codec.FrameEncoder;
import io.tessera.codec.RpcFrame;
import io.tessera.codec.message.BranchEndRequest;
import io.tessera.codec.message.BranchEndResponse;
import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.Message;
import io.tessera.codec.message.RegisterRMRequest;
import io.tessera.codec.message.RegisterTMRequest;
import io.tessera.codec.message.ResultCode;
import io.tessera.codec.message.TransactionExceptionCode;
import io.tessera.codec.protobuf.ProtobufBodyCodec;
import io.tessera.codec.seata.SeataBodyCodec;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Seata-protocol client over a real socket with request/response correlation, usable from several
 * threads. As an RM it answers every phase-two request (commit → PhaseTwo_Committed, rollback →
 * PhaseTwo_Rollbacked) when {@code answerPhaseTwo} is on, and counts them.
 */
final class TestSeataClient implements AutoCloseable {
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final Map<Integer, CompletableFuture<Message>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger phaseTwoAnswered = new AtomicInteger();
    private final Channel channel;
    private volatile boolean answerPhaseTwo;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    TestSeataClient(int port) {
        FrameCodec codec = new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME_LENGTH,
                List.of(new SeataBodyCodec(), new ProtobufBodyCodec()));
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new FrameDecoder(codec), new FrameEncoder(codec),
                                new SimpleChannelInboundHandler<RpcFrame>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, RpcFrame f) {
                                        received(ctx, f);
                                    }
                                });
                    }
                });
        channel = b.connect(new InetSocketAddress("127.0.0.1", port)).syncUninterruptibly().channel();
    }

    private void received(ChannelHandlerContext ctx, RpcFrame f) {
        if (f.messageType() == RpcFrame.TYPE_RESPONSE) {
            CompletableFuture<Message> w = pending.remove(f.requestId());
            if (w != null) {
                w.complete(f.body());
            }
        } else if (f.body() instanceof BranchEndRequest req && answerPhaseTwo) {
            BranchStatus status = req.commit() ? BranchStatus.PhaseTwo_Committed : BranchStatus.PhaseTwo_Rollbacked;
            ctx.writeAndFlush(RpcFrame.response(f.requestId(), RpcFrame.CODEC_SEATA, new BranchEndResponse(
                    req.commit(), ResultCode.Success, null, TransactionExceptionCode.Unknown, req.xid(),
                    req.branchId(), status)));
            phaseTwoAnswered.incrementAndGet();
        }
    }

    TestSeataClient answerPhaseTwo(boolean on) {
        this.answerPhaseTwo = on;
        return this;
    }

    int phaseTwoAnswered() {
        return phaseTwoAnswered.get();
    }

    @SuppressWarnings("unchecked")
    <T extends Message> T call(Message request, Class<T> type) {
        int id = ids.incrementAndGet();
        CompletableFuture<Message> answer = new CompletableFuture<>();
        pending.put(id, answer);
        channel.writeAndFlush(RpcFrame.request(id, RpcFrame.CODEC_SEATA, request)).syncUninterruptibly();
        try {
            Message m = answer.get(Duration.ofSeconds(15).toMillis(), TimeUnit.MILLISECONDS);
            if (!type.isInstance(m)) {
                throw new AssertionError("expected " + type.getSimpleName() + ", got " + m);
            }
            return (T) m;
        } catch (Exception e) {
            pending.remove(id);
            throw new AssertionError("no " + type.getSimpleName() + " for " + request + ": " + e, e);
        }
    }

    /** Sends without waiting for the answer (a commit whose RM will not answer yet). */
    void sendOnly(Message request) {
        channel.writeAndFlush(RpcFrame.request(ids.incrementAndGet(), RpcFrame.CODEC_SEATA, request))
                .syncUninterruptibly();
    }

    TestSeataClient registerTm(String app) {
        call(new RegisterTMRequest("2.5.0", app, "tx-group", null), Message.class);
        return this;
    }

    TestSeataClient registerRm(String app, String resources) {
        call(new RegisterRMRequest("2.5.0", app, "tx-group", null, resources), Message.class);
        return this;
    }

    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
