package io.tessera.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.tessera.codec.FrameCodec;
import io.tessera.codec.FrameDecoder;
import io.tessera.codec.FrameEncoder;
import io.tessera.codec.RpcFrame;
import io.tessera.codec.message.BranchEndRequest;
import io.tessera.codec.message.BranchEndResponse;
import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.HeartbeatMessage;
import io.tessera.codec.message.Message;
import io.tessera.codec.message.Request;
import io.tessera.codec.message.ResultCode;
import io.tessera.codec.message.TransactionExceptionCode;
import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One client connection to one TC address, TM or RM role. Requests are correlated by request id
 * (this connection's own counter), never by blocking a thread: {@link #request} returns a future that
 * the event loop completes. BranchCommit/BranchRollback requests from the TC (RM role) are answered at
 * once on the event loop with the same request id (spec §9.5.2).
 */
final class TcConnection {
    private final InetSocketAddress target;
    private final long timeoutNanos;
    private final LongAdder phaseTwoCommits;
    private final LongAdder phaseTwoRollbacks;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
    private volatile Channel channel;

    private record Pending(CompletableFuture<Message> future, long deadline) {
    }

    TcConnection(InetSocketAddress target, long timeoutMs, LongAdder phaseTwoCommits, LongAdder phaseTwoRollbacks) {
        this.target = target;
        this.timeoutNanos = timeoutMs * 1_000_000L;
        this.phaseTwoCommits = phaseTwoCommits;
        this.phaseTwoRollbacks = phaseTwoRollbacks;
    }

    void connect(EventLoopGroup group, FrameCodec codec) {
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        // Many answers arrive per read: one flush per read burst instead of one per frame.
                        // The TC closes connections that stay silent for 15 s (an RM during an empty-tx run):
                        // ping after 5 s without writes, as the Seata client does after ~10 s.
                        ch.pipeline().addLast(new IdleStateHandler(0, 5, 0),
                                new FlushConsolidationHandler(256, true),
                                new FrameDecoder(codec), new FrameEncoder(codec), new Inbound());
                    }
                });
        channel = b.connect(target).syncUninterruptibly().channel();
        channel.closeFuture().addListener(f -> failAll());
    }

    InetSocketAddress target() {
        return target;
    }

    CompletableFuture<Message> request(Request body) {
        int id = ids.incrementAndGet();
        CompletableFuture<Message> f = new CompletableFuture<>();
        pending.put(id, new Pending(f, System.nanoTime() + timeoutNanos));
        Channel ch = channel;
        ch.writeAndFlush(RpcFrame.request(id, RpcFrame.CODEC_SEATA, body)).addListener(w -> {
            if (!w.isSuccess()) {
                Pending p = pending.remove(id);
                if (p != null) {
                    p.future.completeExceptionally(new TxFailure("io:write:" + w.cause().getClass().getSimpleName(),
                            w.cause()));
                }
            }
        });
        return f;
    }

    /** Fails requests past their deadline; called periodically by the pool's sweeper. */
    void expire(long now) {
        for (Iterator<Map.Entry<Integer, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Integer, Pending> e = it.next();
            if (now - e.getValue().deadline > 0 && pending.remove(e.getKey(), e.getValue())) {
                e.getValue().future.completeExceptionally(new TxFailure("timeout", new TimeoutException()));
            }
        }
    }

    int inFlight() {
        return pending.size();
    }

    void close() {
        Channel ch = channel;
        if (ch != null) {
            ch.close().syncUninterruptibly();
        }
    }

    private void failAll() {
        for (Integer id : pending.keySet()) {
            Pending p = pending.remove(id);
            if (p != null) {
                p.future.completeExceptionally(new TxFailure("io:closed"));
            }
        }
    }

    private final class Inbound extends SimpleChannelInboundHandler<RpcFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, RpcFrame frame) {
            if (frame.body() instanceof BranchEndRequest req) {
                (req.commit() ? phaseTwoCommits : phaseTwoRollbacks).increment();
                BranchStatus status = req.commit() ? BranchStatus.PhaseTwo_Committed : BranchStatus.PhaseTwo_Rollbacked;
                ctx.writeAndFlush(RpcFrame.response(frame.requestId(), frame.codec(), new BranchEndResponse(
                        req.commit(), ResultCode.Success, null, TransactionExceptionCode.Unknown, req.xid(),
                        req.branchId(), status)));
                return;
            }
            if (frame.messageType() != RpcFrame.TYPE_RESPONSE) {
                return; // pongs, UndoLogDelete: nothing to do
            }
            Pending p = pending.remove(frame.requestId());
            if (p != null) {
                p.future.complete(frame.body());
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof IdleStateEvent) {
                ctx.writeAndFlush(new RpcFrame(RpcFrame.TYPE_HEARTBEAT_REQUEST, RpcFrame.CODEC_SEATA,
                        RpcFrame.COMPRESSOR_NONE, ids.incrementAndGet(), Map.of(), HeartbeatMessage.PING));
                return;
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
