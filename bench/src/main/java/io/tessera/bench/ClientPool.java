package io.tessera.bench;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.tessera.codec.FrameCodec;
import io.tessera.codec.message.Message;
import io.tessera.codec.message.RegisterRMRequest;
import io.tessera.codec.message.RegisterRMResponse;
import io.tessera.codec.message.RegisterTMRequest;
import io.tessera.codec.message.RegisterTMResponse;
import io.tessera.codec.seata.SeataBodyCodec;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The generator's client side: like a Seata client with the file registry, one or more TM and RM
 * connections to EVERY target (an RM must be reachable from the leader for phase two, wherever the
 * branch was registered), each registered first. A transaction picks one target round robin and
 * sends all its requests there; followers forward.
 */
final class ClientPool implements AutoCloseable {
    static final String CLIENT_VERSION = "2.5.0";

    /** The TM and RM connection one transaction uses. */
    record Route(TcConnection tm, TcConnection rm) {
    }

    private final BenchConfig config;
    private final EventLoopGroup group;
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-timeouts");
        t.setDaemon(true);
        return t;
    });
    private final List<TcConnection> tms = new ArrayList<>();
    private final List<TcConnection> rms = new ArrayList<>();
    private final List<TcConnection> all = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicLong next = new AtomicLong();
    final LongAdder phaseTwoCommits = new LongAdder();
    final LongAdder phaseTwoRollbacks = new LongAdder();

    ClientPool(BenchConfig config) {
        this.config = config;
        this.group = new NioEventLoopGroup(config.ioThreads());
    }

    ClientPool start() {
        // Before registering: an unanswered registration must time out too, not hang the run.
        sweeper.scheduleWithFixedDelay(() -> {
            long now = System.nanoTime();
            all.forEach(c -> c.expire(now));
        }, 50, 50, TimeUnit.MILLISECONDS);
        FrameCodec codec = new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME_LENGTH, List.of(new SeataBodyCodec()));
        for (InetSocketAddress target : config.targets()) {
            for (int i = 0; i < config.connectionsPerTarget(); i++) {
                TcConnection tm = connection(target, codec);
                expect(tm.request(new RegisterTMRequest(CLIENT_VERSION, config.applicationId(), config.txGroup(),
                        "ak=null\nsignature=null\n")), RegisterTMResponse.class, target);
                TcConnection rm = connection(target, codec);
                expect(rm.request(new RegisterRMRequest(CLIENT_VERSION, config.applicationId(), config.txGroup(),
                        null, String.join(",", Workloads.RESOURCES))), RegisterRMResponse.class, target);
                tms.add(tm);
                rms.add(rm);
            }
        }
        return this;
    }

    private TcConnection connection(InetSocketAddress target, FrameCodec codec) {
        TcConnection c = new TcConnection(target, config.requestTimeoutMs(), phaseTwoCommits, phaseTwoRollbacks);
        c.connect(group, codec);
        all.add(c);
        return c;
    }

    private static void expect(java.util.concurrent.CompletableFuture<Message> f, Class<?> type, InetSocketAddress at) {
        Message m;
        try {
            m = f.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw new IllegalStateException("registration at " + at + " failed: " + Stats.codeOf(e), e);
        }
        if (!type.isInstance(m)) {
            throw new IllegalStateException("registration at " + at + " answered " + m);
        }
        boolean ok = m instanceof RegisterTMResponse tm ? tm.identified() : ((RegisterRMResponse) m).identified();
        if (!ok) {
            throw new IllegalStateException("registration at " + at + " refused: " + m);
        }
    }

    /** Round robin over targets (and over the connections to each target). */
    Route route() {
        int i = (int) Math.floorMod(next.getAndIncrement(), (long) tms.size());
        return new Route(tms.get(i), rms.get(i));
    }

    /** The I/O threads; closed-loop slots start their next transaction there. */
    java.util.concurrent.ScheduledExecutorService executor() {
        return group;
    }

    int inFlightRequests() {
        int n = 0;
        for (TcConnection c : tms) {
            n += c.inFlight();
        }
        for (TcConnection c : rms) {
            n += c.inFlight();
        }
        return n;
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        all.forEach(TcConnection::close);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
