package io.tessera.compat.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Bolt (SOFABolt protocol v1/v2) frames for the raft port, which requires member TLS: plaintext bolt
 * requests with jraft's request class names and mutated lengths, TLS-looking records, random bytes. The
 * node must refuse them in the handshake and close, and keep its raft group healthy.
 */
final class RaftInputs {
    private static final String[] CLASSES = {"com.alipay.sofa.jraft.rpc.RpcRequests$AppendEntriesRequest",
        "com.alipay.sofa.jraft.rpc.RpcRequests$RequestVoteRequest", "com.alipay.sofa.jraft.rpc.RpcRequests$PingRequest",
        "com.alipay.sofa.jraft.rpc.CliRequests$AddPeerRequest", "com.alipay.sofa.jraft.rpc.RpcRequests$InstallSnapshotRequest",
        "java.lang.Runtime", ""};

    FuzzInput generate(long index, SplittableRandom rng) {
        Fields f = new Fields(rng);
        int node = rng.nextInt(3);
        Wire w = new Wire();
        String what;
        int r = rng.nextInt(100);
        if (r < 70) {
            byte[] cls = f.pick(CLASSES).getBytes(StandardCharsets.UTF_8);
            byte[] header = f.randomBytes(32);
            byte[] content = f.randomBytes(f.chance(5) ? 50_000 : 200);
            int proto = f.chance(80) ? 1 : f.chance(50) ? 2 : rng.nextInt(256);
            w.u8(proto);
            if (proto == 2) {
                w.u8(1); // ver1
            }
            w.u8(f.chance(80) ? 1 : rng.nextInt(256)) // type: request
                    .i16(f.chance(80) ? 1 : rng.nextInt(0x10000)) // cmdcode: rpc request
                    .u8(1).i32(rng.nextInt()).u8(f.chance(80) ? 11 : rng.nextInt(256)) // ver2, id, codec (protobuf)
                    .i32(f.int32())
                    .i16(f.chance(90) ? cls.length : rng.nextInt(0x10000))
                    .i16(f.chance(90) ? header.length : rng.nextInt(0x10000))
                    .i32(f.chance(90) ? content.length : f.int32())
                    .bytes(cls).bytes(header).bytes(content);
            what = "bolt v" + proto + " " + new String(cls, StandardCharsets.UTF_8);
        } else if (r < 85) {
            // a TLS record header with a random type/version/length and a random fragment
            byte[] frag = f.randomBytes(300);
            w.u8(0x14 + rng.nextInt(5)).u8(3).u8(rng.nextInt(5)).i16(f.chance(70) ? frag.length : rng.nextInt(0x10000))
                    .bytes(frag);
            what = "tls-like record";
        } else {
            w.bytes(f.randomBytes(f.chance(10) ? 20_000 : 256));
            what = "random bytes";
        }
        byte[] p = w.toBytes();
        // A TLS server waits for a whole record (5-byte header + length); anything else is refused at once.
        int first = p.length == 0 ? 0 : p[0] & 0xFF;
        boolean tlsRecord = first >= 0x14 && first <= 0x18;
        // Netty's SslHandler also takes bytes as an SSLv2 hello (and waits) when the major version byte is 2 or 3.
        boolean sslv2 = p.length >= 6 && (p[(first & 0x80) != 0 ? 3 : 4] == 2 || p[(first & 0x80) != 0 ? 3 : 4] == 3);
        boolean await = p.length >= 6 && !tlsRecord && !sslv2;
        return new FuzzInput(index, FuzzInput.Target.RAFT, node, FuzzInput.Register.NONE, p, await, what);
    }
}
