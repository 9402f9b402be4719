package io.tessera.coordinator.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
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
import io.tessera.codec.message.Message;
import io.tessera.codec.message.RegisterRMRequest;
import io.tessera.codec.message.RegisterTMRequest;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A minimal Seata-protocol client over a real socket, speaking our codec; for front-end tests. */
public final class RawClient implements AutoCloseable {
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final BlockingQueue<RpcFrame> received = new LinkedBlockingQueue<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final Channel channel;

    public RawClient(int port) {
        this(port, null);
    }

    /** @param localIp e.g. "127.0.0.2" to appear to the server as another host; null = default */
    public RawClient(int port, String localIp) {
        FrameCodec codec = Codecs.frameCodec();
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new FrameDecoder(codec), new FrameEncoder(codec),
                                new SimpleChannelInboundHandler<RpcFrame>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, RpcFrame msg) {
                                        received.add(msg);
                                    }
                                });
                    }
                });
        InetSocketAddress remote = new InetSocketAddress("127.0.0.1", port);
        channel = (localIp == null ? b.connect(remote) : b.connect(remote, new InetSocketAddress(localIp, 0)))
                .syncUninterruptibly().channel();
    }

    public int nextId() {
        return ids.incrementAndGet();
    }

    public int send(byte messageType, Message body) {
        return send(messageType, RpcFrame.CODEC_SEATA, body);
    }

    public int send(byte messageType, byte codec, Message body) {
        int id = nextId();
        send(new RpcFrame(messageType, codec, RpcFrame.COMPRESSOR_NONE, id, Map.of(), body));
        return id;
    }

    public int request(Message body) {
        return send(RpcFrame.TYPE_REQUEST, body);
    }

    public void send(RpcFrame frame) {
        channel.writeAndFlush(frame).syncUninterruptibly();
    }

    /** Queues without waiting for the write, to pipeline many requests. */
    public void sendAsync(RpcFrame frame) {
        channel.writeAndFlush(frame);
    }

    public void sendRaw(byte[] bytes) {
        channel.writeAndFlush(Unpooled.wrappedBuffer(bytes)).syncUninterruptibly();
    }

    public RpcFrame next() {
        return next(Duration.ofSeconds(5));
    }

    public RpcFrame next(Duration timeout) {
        try {
            RpcFrame f = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (f == null) {
                throw new AssertionError("no frame within " + timeout);
            }
            return f;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** True if no (further) frame arrives within {@code quiet}. */
    public boolean nothingElseWithin(Duration quiet) {
        try {
            return received.poll(quiet.toMillis(), TimeUnit.MILLISECONDS) == null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next frame, or empty when none arrives within {@code timeout} (to assert that nothing was answered). */
    public java.util.Optional<RpcFrame> poll(Duration timeout) {
        try {
            return java.util.Optional.ofNullable(received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public RpcFrame registerTm(String app, String version) {
        int id = request(new RegisterTMRequest(version, app, "tx-group", null));
        RpcFrame answer = next();
        if (answer.requestId() != id) {
            throw new AssertionError("registration answered with id " + answer.requestId());
        }
        return answer;
    }

    /** RegisterTM with the given group and extraData (e.g. a signature, see {@link Signatures}). */
    public RpcFrame registerTm(String app, String group, String extraData) {
        int id = request(new RegisterTMRequest("2.5.0", app, group, extraData));
        RpcFrame answer = next();
        if (answer.requestId() != id) {
            throw new AssertionError("registration answered with id " + answer.requestId());
        }
        return answer;
    }

    public RpcFrame registerRm(String app, String version, String resources) {
        int id = request(new RegisterRMRequest(version, app, "tx-group", null, resources));
        RpcFrame answer = next();
        if (answer.requestId() != id) {
            throw new AssertionError("registration answered with id " + answer.requestId());
        }
        return answer;
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    public int localPort() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    public String localIp() {
        return ((InetSocketAddress) channel.localAddress()).getAddress().getHostAddress();
    }

    /** Idempotent. */
    @Override
    public void close() {
        if (group.isShuttingDown()) {
            return;
        }
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
