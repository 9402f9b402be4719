package io.tessera.compat.fuzz;

import io.tessera.codec.CodecException;
import io.tessera.codec.FrameCodec;
import io.tessera.codec.RpcFrame;
import io.tessera.codec.message.BranchRegisterRequest;
import io.tessera.codec.message.BranchReportRequest;
import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalBeginRequest;
import io.tessera.codec.message.GlobalEndRequest;
import io.tessera.codec.message.GlobalLockQueryRequest;
import io.tessera.codec.message.GlobalReportRequest;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.message.MergedWarpMessage;
import io.tessera.codec.message.MessageTypes;
import io.tessera.codec.message.RegisterRMRequest;
import io.tessera.codec.message.RegisterTMRequest;
import io.tessera.codec.message.Request;
import io.tessera.codec.message.UndoLogDeleteRequest;
import io.tessera.codec.compress.Compressors;
import io.tessera.codec.protobuf.ProtobufBodyCodec;
import io.tessera.codec.seata.SeataBodyCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Structure-aware Seata protocol-v1 input for the transaction port (spec §2, §6): frames with a valid
 * prefix whose lengths, head-map, message type, codec and compressor bytes are sometimes wrong, bodies
 * laid out field by field as the request layouts are with hostile field values and lying lengths,
 * batches with wrong counts and nested batches, valid messages encoded by the codec (both body codecs,
 * every compressor) then bit-flipped, truncated frames, garbage after frames; each input sent on a fresh
 * connection, before or after valid signed registrations.
 */
final class TxInputs {
    /** The request layouts a client may send (spec §6.4), by type code. */
    private static final int[] REQUEST_TYPES = {MessageTypes.GLOBAL_BEGIN, MessageTypes.GLOBAL_COMMIT,
        MessageTypes.GLOBAL_ROLLBACK, MessageTypes.GLOBAL_STATUS, MessageTypes.GLOBAL_REPORT,
        MessageTypes.BRANCH_REGISTER, MessageTypes.GLOBAL_LOCK_QUERY, MessageTypes.BRANCH_STATUS_REPORT,
        MessageTypes.BRANCH_COMMIT, MessageTypes.BRANCH_ROLLBACK, MessageTypes.RM_DELETE_UNDOLOG,
        MessageTypes.REG_CLT, MessageTypes.REG_RM, MessageTypes.SEATA_MERGE};
    private static final int[] OTHER_TYPES = {MessageTypes.GLOBAL_BEGIN_RESULT, MessageTypes.BRANCH_COMMIT_RESULT,
        MessageTypes.BRANCH_ROLLBACK_RESULT, MessageTypes.SEATA_MERGE_RESULT, MessageTypes.REG_CLT_RESULT,
        MessageTypes.HEARTBEAT_MSG, MessageTypes.BATCH_RESULT_MSG, 0, 19, 20, 23, 58, 61, 100, 112, 122, 0x7FFF, -1};

    private final FrameCodec codec = new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME_LENGTH,
            List.of(new SeataBodyCodec(), new ProtobufBodyCodec()));
    private final Compressors compressors = new Compressors();

    FuzzInput generate(long index, java.util.SplittableRandom rng) {
        Fields f = new Fields(rng);
        int node = rng.nextInt(3);
        int r = rng.nextInt(100);
        FuzzInput.Register register = r < 30 ? FuzzInput.Register.NONE : r < 65 ? FuzzInput.Register.TM
                : r < 85 ? FuzzInput.Register.RM : r < 95 ? FuzzInput.Register.TM_THEN_RM
                : FuzzInput.Register.VALID_TRANSACTION;
        Wire w = new Wire();
        List<String> what = new ArrayList<>();
        int frames = 1 + (f.chance(30) ? rng.nextInt(8) : 0);
        for (int i = 0; i < frames; i++) {
            if (f.chance(35)) {
                what.add(codecFrame(f, w));
            } else {
                what.add(rawFrame(f, w));
            }
        }
        byte[] payload = w.toBytes();
        if (f.chance(8)) {
            // garbage after valid frames: random bytes, another protocol, or a lone valid prefix
            byte[] tail = switch (rng.nextInt(3)) {
                case 0 -> f.randomBytes(64);
                case 1 -> "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
                default -> new byte[] {(byte) 0xDA, (byte) 0xDA, 1};
            };
            payload = concat(payload, tail);
            what.add("garbage tail " + tail.length);
        }
        if (f.chance(8) && payload.length > 1) {
            int cut = 1 + rng.nextInt(payload.length - 1);
            payload = java.util.Arrays.copyOf(payload, cut);
            what.add("truncated at " + cut);
        }
        return new FuzzInput(index, FuzzInput.Target.TX, node, register, payload,
                Framing.completeOrBroken(payload, FrameCodec.DEFAULT_MAX_FRAME_LENGTH), String.join(", ", what));
    }

    /** A frame written field by field; any of its parts may be wrong. */
    private String rawFrame(Fields f, Wire w) {
        var rng = f.rng();
        byte messageType = (byte) (f.chance(92) ? new int[] {0, 0, 0, 0, 0, 2, 1, 3, 3, 4}[rng.nextInt(10)] : rng.nextInt(256));
        byte codecId = (byte) (f.chance(85) ? 1 : f.chance(50) ? 2 : rng.nextInt(256));
        byte[] body;
        String what;
        if (messageType == RpcFrame.TYPE_HEARTBEAT_REQUEST || messageType == RpcFrame.TYPE_HEARTBEAT_RESPONSE) {
            body = f.chance(85) ? new byte[0] : f.randomBytes(32);
            what = "heartbeat " + messageType + " body " + body.length;
        } else {
            Wire b = new Wire();
            int type = f.chance(80) ? REQUEST_TYPES[rng.nextInt(REQUEST_TYPES.length)]
                    : OTHER_TYPES[rng.nextInt(OTHER_TYPES.length)];
            body(f, b, type, 0);
            body = b.toBytes();
            what = "raw type " + type;
        }
        byte compressor = 0;
        if (f.chance(8)) {
            compressor = (byte) new int[] {1, 2, 4, 5, 6}[rng.nextInt(5)];
            body = compressors.get(compressor).compress(body);
            what += " compressed " + compressor;
        } else if (f.chance(4)) {
            compressor = (byte) rng.nextInt(256); // a compressor byte over an uncompressed body
            what += " compressor byte " + (compressor & 0xFF);
        }
        Wire head = new Wire();
        int headEntries = f.chance(10) ? rng.nextInt(f.chance(5) ? 2000 : 5) : 0;
        for (int i = 0; i < headEntries; i++) {
            f.str16(head);
            f.str16(head);
        }
        byte[] headMap = head.toBytes();
        int headLength = 16 + headMap.length;
        int fullLength = headLength + body.length;
        if (f.chance(5)) {
            headLength = switch (rng.nextInt(4)) {
                case 0 -> rng.nextInt(16);
                case 1 -> fullLength + 1 + rng.nextInt(100);
                case 2 -> 0xFFFF;
                default -> headLength + rng.nextInt(8) - 4;
            };
            what += " headLength " + headLength;
        }
        if (f.chance(4)) {
            fullLength = switch (rng.nextInt(5)) {
                case 0 -> rng.nextInt(16);
                case 1 -> -1 - rng.nextInt(1000);
                case 2 -> Integer.MAX_VALUE;
                case 3 -> FrameCodec.DEFAULT_MAX_FRAME_LENGTH + 1;
                default -> fullLength - 1 - rng.nextInt(Math.max(1, Math.min(fullLength - 1, 8)));
            };
            what += " fullLength " + fullLength;
        }
        int magic = f.chance(98) ? 0xDADA : rng.nextInt(0x10000);
        int version = f.chance(98) ? 1 : rng.nextInt(256);
        w.i16(magic).u8(version).i32(fullLength).i16(headLength).u8(messageType).u8(codecId).u8(compressor)
                .i32(rng.nextInt()).bytes(headMap).bytes(body);
        return what + (codecId == 1 ? "" : " codec " + (codecId & 0xFF));
    }

    /** typeCode ‖ payload laid out as the request layouts are, with hostile fields. */
    private void body(Fields f, Wire w, int type, int depth) {
        var rng = f.rng();
        w.i16(type);
        switch (type) {
            case MessageTypes.REG_CLT -> {
                f.str16(w);
                f.str16(w, f.chance(50) ? FuzzCluster.APP.getBytes(StandardCharsets.UTF_8) : f.text());
                f.str16(w);
                f.str16(w);
            }
            case MessageTypes.REG_RM -> {
                for (int i = 0; i < 4; i++) {
                    f.str16(w);
                }
                f.str32(w, resourceIds(f));
            }
            case MessageTypes.GLOBAL_BEGIN -> {
                w.i32(f.int32());
                f.str16(w);
            }
            case MessageTypes.GLOBAL_COMMIT, MessageTypes.GLOBAL_ROLLBACK, MessageTypes.GLOBAL_STATUS -> {
                f.str16(w);
                f.str16(w);
            }
            case MessageTypes.GLOBAL_REPORT -> {
                f.str16(w);
                f.str16(w);
                f.enumByte(w, 21);
            }
            case MessageTypes.BRANCH_REGISTER, MessageTypes.GLOBAL_LOCK_QUERY -> {
                f.str16(w);
                f.enumByte(w, 6);
                f.str16(w);
                f.str32(w);
                f.str32(w);
            }
            case MessageTypes.BRANCH_STATUS_REPORT -> {
                f.str16(w);
                w.i64(f.int64());
                f.enumByte(w, 16);
                f.str16(w);
                f.str32(w);
                f.enumByte(w, 6);
            }
            case MessageTypes.BRANCH_COMMIT, MessageTypes.BRANCH_ROLLBACK -> {
                f.str16(w);
                w.i64(f.int64());
                f.enumByte(w, 6);
                f.str16(w);
                f.str32(w);
            }
            case MessageTypes.RM_DELETE_UNDOLOG -> {
                f.enumByte(w, 6);
                f.str16(w);
                w.i16(f.int32());
            }
            case MessageTypes.SEATA_MERGE -> merge(f, w, depth);
            default -> w.bytes(f.randomBytes(f.chance(90) ? 24 : 2000));
        }
        if (f.chance(3)) {
            w.bytes(f.randomBytes(8)); // trailing bytes after a complete body
        }
    }

    /** {@code i32 L ‖ i16 count ‖ count × (type ‖ payload) ‖ count × i32 id}; counts and L may lie, may nest. */
    private void merge(Fields f, Wire w, int depth) {
        var rng = f.rng();
        int lengthAt = w.size();
        w.i32(0);
        int count = f.chance(90) ? rng.nextInt(6) : f.chance(50) ? rng.nextInt(5000) : 0x8000 + rng.nextInt(0x8000);
        int real = Math.min(count & 0xFFFF, f.chance(80) ? count & 0xFFFF : rng.nextInt(8));
        real = Math.min(real, 200);
        int countAt = w.size();
        w.i16(count);
        for (int i = 0; i < real; i++) {
            int type = depth < 3 && f.chance(10) ? MessageTypes.SEATA_MERGE
                    : REQUEST_TYPES[rng.nextInt(REQUEST_TYPES.length - 1)];
            body(f, w, type, depth + 1);
        }
        int declared = w.size() - countAt;
        w.setI32(lengthAt, f.chance(90) ? declared : f.int32());
        int ids = f.chance(90) ? real : rng.nextInt(8);
        for (int i = 0; i < ids; i++) {
            w.i32(rng.nextInt(1000));
        }
    }

    private static byte[] resourceIds(Fields f) {
        if (!f.chance(10)) {
            return f.text();
        }
        StringBuilder s = new StringBuilder();
        int n = f.rng().nextInt(5000);
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "" : ",").append("res-").append(i);
        }
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A valid message encoded by the codec (either body codec, any supported compressor), maybe bit-flipped. */
    private String codecFrame(Fields f, Wire w) {
        var rng = f.rng();
        io.tessera.codec.message.Message m = message(f, 0);
        byte codecId = f.chance(70) ? RpcFrame.CODEC_SEATA : RpcFrame.CODEC_PROTOBUF;
        byte compressor = f.chance(80) ? 0 : (byte) new int[] {1, 2, 4, 5, 6}[rng.nextInt(5)];
        byte type = f.chance(85) ? RpcFrame.TYPE_REQUEST : RpcFrame.TYPE_ONEWAY;
        Map<String, String> head = f.chance(10) ? Map.of(text(f), text(f)) : Map.of();
        byte[] frame;
        try {
            frame = codec.encode(new RpcFrame(type, codecId, compressor, rng.nextInt(), head, m));
        } catch (CodecException e) {
            return rawFrame(f, w);
        }
        String what = "codec " + m.getClass().getSimpleName() + " codec " + codecId + " compressor " + compressor;
        if (f.chance(30) && frame.length > 16) {
            int flips = 1 + rng.nextInt(4);
            for (int i = 0; i < flips; i++) {
                int at = 16 + rng.nextInt(frame.length - 16);
                frame[at] ^= (byte) (1 << rng.nextInt(8));
            }
            what += " " + flips + " body bits flipped";
        } else if (f.chance(5)) {
            int at = 9 + rng.nextInt(3); // messageType, codec or compressor byte
            frame[at] = (byte) rng.nextInt(256);
            what += " header byte " + at + "=" + (frame[at] & 0xFF);
        }
        w.bytes(frame);
        return what;
    }

    private io.tessera.codec.message.Message message(Fields f, int depth) {
        var rng = f.rng();
        BranchType[] branchTypes = BranchType.values();
        return switch (rng.nextInt(depth == 0 ? 11 : 10)) {
            case 0 -> new GlobalBeginRequest(f.int32(), text(f));
            case 1 -> new GlobalEndRequest(GlobalEndRequest.Kind.values()[rng.nextInt(3)], text(f), text(f));
            case 2 -> new BranchRegisterRequest(text(f), branchTypes[rng.nextInt(branchTypes.length)], text(f), text(f), text(f));
            case 3 -> new GlobalLockQueryRequest(text(f), branchTypes[rng.nextInt(branchTypes.length)], text(f), text(f), text(f));
            case 4 -> new BranchReportRequest(text(f), f.int64(), BranchStatus.values()[rng.nextInt(BranchStatus.values().length)],
                    text(f), text(f), branchTypes[rng.nextInt(branchTypes.length)]);
            case 5 -> new GlobalReportRequest(text(f), text(f),
                    f.chance(20) ? null : GlobalStatus.values()[rng.nextInt(GlobalStatus.values().length)]);
            case 6 -> new UndoLogDeleteRequest(branchTypes[rng.nextInt(branchTypes.length)], "r" + text(f), (short) f.int32());
            case 7 -> new RegisterTMRequest(text(f), f.chance(50) ? FuzzCluster.APP : text(f), text(f), text(f));
            case 8 -> new RegisterRMRequest(text(f), text(f), text(f), text(f), text(f));
            case 9 -> new GlobalBeginRequest(60_000, "fuzz-valid");
            default -> {
                int n = 1 + rng.nextInt(6);
                List<Request> msgs = new ArrayList<>();
                List<Integer> ids = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    msgs.add((Request) message(f, depth + 1)); // below the top: never a batch
                    ids.add(rng.nextInt());
                }
                yield new MergedWarpMessage(msgs, ids);
            }
        };
    }

    private static String text(Fields f) {
        return new String(f.text(), StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
