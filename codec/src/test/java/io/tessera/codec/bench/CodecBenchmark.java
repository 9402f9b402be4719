package io.tessera.codec.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tessera.codec.FrameCodec;
import io.tessera.codec.RpcFrame;
import io.tessera.codec.message.BranchRegisterRequest;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalBeginRequest;
import io.tessera.codec.message.MergedWarpMessage;
import io.tessera.codec.message.Request;
import io.tessera.codec.seata.SeataBodyCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Encode + decode of whole SEATA-codec frames (header, body, no compression) into a reused ByteBuf,
 * for the three shapes that dominate a TC's inbound traffic. Not a test: run with the command in
 * docs/benchmarks.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(3)
public class CodecBenchmark {
    private static final String XID = "192.168.0.2:8091:2000042948";

    private FrameCodec codec;
    private RpcFrame globalBegin;
    private RpcFrame branchRegister;
    private RpcFrame merged10;
    private ByteBuf buffer;

    @Setup(Level.Trial)
    public void setUp() {
        codec = new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME_LENGTH, List.of(new SeataBodyCodec()));
        globalBegin = RpcFrame.request(5, RpcFrame.CODEC_SEATA, new GlobalBeginRequest(60000, "order-create"));
        BranchRegisterRequest register = new BranchRegisterRequest(XID, BranchType.AT,
                "jdbc:mysql://127.0.0.1:3306/db1", "t_order:1001,1002;t_order_item:5001", "{\"autoCommit\":false}");
        branchRegister = RpcFrame.request(11, RpcFrame.CODEC_SEATA, register);
        List<Request> msgs = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            msgs.add(new BranchRegisterRequest(XID, BranchType.AT, "jdbc:mysql://127.0.0.1:3306/db1",
                    "t_order:" + (1000 + i), null));
            ids.add(100 + i);
        }
        merged10 = new RpcFrame(RpcFrame.TYPE_ONEWAY, RpcFrame.CODEC_SEATA, (byte) 0, 111, null,
                new MergedWarpMessage(msgs, ids));
        buffer = Unpooled.buffer(4096);
    }

    private RpcFrame roundTrip(RpcFrame frame) {
        buffer.clear();
        codec.encode(frame, buffer);
        return codec.decodeFrame(buffer);
    }

    @Benchmark
    public RpcFrame globalBeginRequest() {
        return roundTrip(globalBegin);
    }

    @Benchmark
    public RpcFrame branchRegisterRequest() {
        return roundTrip(branchRegister);
    }

    @Benchmark
    public RpcFrame mergedWarp10BranchRegisters() {
        return roundTrip(merged10);
    }

    /** Runs all codec benchmarks with the annotation settings; extra JMH options are not parsed. */
    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(CodecBenchmark.class.getName() + ".*").build()).run();
    }
}
