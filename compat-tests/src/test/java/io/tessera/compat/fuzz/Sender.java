package io.tessera.compat.fuzz;

import io.tessera.codec.FrameCodec;
import io.tessera.codec.RpcFrame;
import io.tessera.codec.message.GlobalBeginRequest;
import io.tessera.codec.message.GlobalBeginResponse;
import io.tessera.codec.message.GlobalEndRequest;
import io.tessera.codec.message.Message;
import io.tessera.codec.message.RegisterRMRequest;
import io.tessera.codec.message.RegisterTMRequest;
import io.tessera.codec.protobuf.ProtobufBodyCodec;
import io.tessera.codec.seata.SeataBodyCodec;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.seata.core.auth.DefaultAuthSigner;

/**
 * Sends one input to a live node on a fresh connection (from a loopback source address of its own, so
 * per-source limits and the login throttle never touch the liveness client on 127.0.0.1) and checks the
 * node reacted: when the input is complete, the node must answer a trailing ping (transaction port), answer
 * at all (control and raft ports) or close the connection, within {@link #ANSWER_TIMEOUT}. The connection
 * is then reset (SO_LINGER 0), so a million connections leave no TIME_WAIT behind on this side.
 */
final class Sender {
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(20);
    private static final int SENTINEL_ID = 0x7EADBEEF;

    /** What became of one input; {@code failure} is null when the node behaved. */
    record Result(String failure, boolean answered, boolean closedByNode) {
        static final Result OK = new Result(null, true, false);
    }

    private final FuzzCluster cluster;
    private final FrameCodec codec = new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME_LENGTH,
            List.of(new SeataBodyCodec(), new ProtobufBodyCodec()));
    private final byte[] ping = codec.encode(new RpcFrame(RpcFrame.TYPE_HEARTBEAT_REQUEST, RpcFrame.CODEC_SEATA,
            RpcFrame.COMPRESSOR_NONE, SENTINEL_ID, java.util.Map.of(), io.tessera.codec.message.HeartbeatMessage.PING));
    /** Makes every registration signature unique (the node refuses a replayed digest). */
    private final AtomicLong signatures = new AtomicLong();
    /** Connections that took over 5 s to open (then retried once): reported, bounded by the retry. */
    final java.util.concurrent.atomic.LongAdder slowConnects = new java.util.concurrent.atomic.LongAdder();

    Sender(FuzzCluster cluster) {
        this.cluster = cluster;
    }

    Result send(FuzzInput in) {
        FuzzCluster.Node node = cluster.nodes().get(in.node());
        int port = switch (in.target()) {
            case TX -> node.transaction();
            case HTTP -> node.control();
            case RAFT -> node.raft();
        };
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.bind(new InetSocketAddress("127.0.0." + (2 + (int) (in.index() % 250)), 0));
            try {
                s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            } catch (ConnectException e) {
                return new Result("node" + (in.node() + 1) + " " + in.target() + " port refused a connection: " + e, false, false);
            } catch (SocketTimeoutException e) {
                // Once in 863,876 inputs (seed 1612, load ~45 on 2 cores) a connect did not complete in 5 s while the
                // node logged normal work: a stalled client thread looks the same. A fresh connection decides.
                slowConnects.increment();
                s.close();
                s = new Socket();
                s.setTcpNoDelay(true);
                try {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 20_000);
                } catch (IOException again) {
                    return new Result("node" + (in.node() + 1) + " " + in.target() + " port did not accept a connection "
                            + "within 5 s and then 20 s: " + again, false, false);
                }
            }
            s.setSoTimeout((int) ANSWER_TIMEOUT.toMillis());
            OutputStream out = s.getOutputStream();
            DataInputStream din = new DataInputStream(s.getInputStream());
            if (in.target() == FuzzInput.Target.TX && in.register() != FuzzInput.Register.NONE) {
                String refused = register(in, out, din);
                if (refused != null) {
                    return new Result(refused, false, false);
                }
            }
            try {
                out.write(in.payload());
                if (in.target() == FuzzInput.Target.TX && in.awaitAnswer()) {
                    out.write(ping);
                }
                out.flush();
            } catch (IOException e) {
                return new Result(null, false, true); // the node closed while we wrote: a fine reaction
            }
            if (!in.awaitAnswer()) {
                return new Result(null, false, false);
            }
            return in.target() == FuzzInput.Target.TX ? awaitPong(din) : awaitAnyByte(s.getInputStream());
        } catch (SocketTimeoutException e) {
            return new Result("no answer and no close within " + ANSWER_TIMEOUT, false, false);
        } catch (IOException e) {
            return new Result(null, false, true);
        } catch (RuntimeException e) {
            return new Result("the node sent what the codec cannot read: " + e, false, false);
        } finally {
            try {
                s.setSoLinger(true, 0);
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    private Result awaitPong(DataInputStream in) throws IOException {
        while (true) {
            RpcFrame f;
            try {
                f = readFrame(in);
            } catch (EOFException e) {
                return new Result(null, false, true);
            }
            if (f.messageType() == RpcFrame.TYPE_HEARTBEAT_RESPONSE && f.requestId() == SENTINEL_ID) {
                return Result.OK;
            }
        }
    }

    private static Result awaitAnyByte(InputStream in) throws IOException {
        int b = in.read();
        return b < 0 ? new Result(null, false, true) : Result.OK;
    }

    /**
     * Valid, signed registrations (and for VALID_TRANSACTION a begun and ended transaction) before the
     * payload; returns a failure text when the node does not answer them.
     */
    private String register(FuzzInput in, OutputStream out, DataInputStream din) throws IOException {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(in.index());
        switch (in.register()) {
            case TM -> request(out, din, 1, registerTm());
            case RM -> request(out, din, 1, registerRm());
            case TM_THEN_RM -> {
                request(out, din, 1, registerTm());
                request(out, din, 2, registerRm());
            }
            case VALID_TRANSACTION -> {
                request(out, din, 1, registerTm());
                Message begun = request(out, din, 2, new GlobalBeginRequest(1_000 + rng.nextInt(60_000), "fuzz-valid"));
                if (begun instanceof GlobalBeginResponse b && b.xid() != null) {
                    GlobalEndRequest.Kind kind = GlobalEndRequest.Kind.values()[rng.nextInt(3)];
                    request(out, din, 3, new GlobalEndRequest(kind, b.xid(), null));
                }
            }
            default -> {
            }
        }
        return null;
    }

    private Message request(OutputStream out, DataInputStream din, int id, io.tessera.codec.message.Request r)
            throws IOException {
        out.write(codec.encode(RpcFrame.request(id, RpcFrame.CODEC_SEATA, r)));
        out.flush();
        while (true) {
            RpcFrame f = readFrame(din);
            if (f.messageType() == RpcFrame.TYPE_RESPONSE && f.requestId() == id) {
                return f.body();
            }
        }
    }

    private RegisterTMRequest registerTm() {
        return new RegisterTMRequest("2.5.0", FuzzCluster.APP, FuzzCluster.GROUP, signedExtraData());
    }

    private RegisterRMRequest registerRm() {
        return new RegisterRMRequest("2.5.0", FuzzCluster.APP, FuzzCluster.GROUP, signedExtraData(), "fuzz-res");
    }

    /** RegisterTM extraData as seata-all's TM client lays it out, signed by its own signer. */
    private String signedExtraData() {
        long n = signatures.incrementAndGet();
        String ip = "10." + ((n >>> 16) & 0xFF) + "." + ((n >>> 8) & 0xFF) + "." + (n & 0xFF);
        String timestamp = String.valueOf(System.currentTimeMillis());
        DefaultAuthSigner signer = new DefaultAuthSigner();
        String digest = signer.sign(FuzzCluster.GROUP + "," + ip + "," + timestamp, FuzzCluster.SECRET_KEY);
        return "ak=" + FuzzCluster.ACCESS_KEY + "\ndigest=" + digest + "\ntimestamp=" + timestamp + "\nauthVersion="
                + signer.getSignVersion() + "\nvgroup=" + FuzzCluster.GROUP + "\nip=" + ip + "\n";
    }

    private RpcFrame readFrame(DataInputStream in) throws IOException {
        byte[] prefix = new byte[7];
        in.readFully(prefix);
        int full = ((prefix[3] & 0xFF) << 24) | ((prefix[4] & 0xFF) << 16) | ((prefix[5] & 0xFF) << 8) | (prefix[6] & 0xFF);
        if (full < 16 || full > FrameCodec.DEFAULT_MAX_FRAME_LENGTH) {
            throw new IOException("node sent a frame of " + full + " bytes");
        }
        byte[] frame = new byte[full];
        System.arraycopy(prefix, 0, frame, 0, 7);
        in.readFully(frame, 7, full - 7);
        return codec.decode(frame);
    }
}
