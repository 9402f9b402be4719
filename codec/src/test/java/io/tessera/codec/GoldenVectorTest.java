package io.tessera.codec;

import static io.tessera.codec.message.BranchStatus.PhaseOne_Done;
import static io.tessera.codec.message.BranchStatus.PhaseOne_Failed;
import static io.tessera.codec.message.BranchStatus.PhaseTwo_CommitFailed_Retryable;
import static io.tessera.codec.message.BranchStatus.PhaseTwo_Committed;
import static io.tessera.codec.message.BranchStatus.PhaseTwo_Rollbacked;
import static io.tessera.codec.message.BranchType.AT;
import static io.tessera.codec.message.BranchType.TCC;
import static io.tessera.codec.message.ResultCode.Failed;
import static io.tessera.codec.message.ResultCode.Success;
import static io.tessera.codec.message.TransactionExceptionCode.BeginFailed;
import static io.tessera.codec.message.TransactionExceptionCode.BranchTransactionNotExist;
import static io.tessera.codec.message.TransactionExceptionCode.GlobalTransactionNotExist;
import static io.tessera.codec.message.TransactionExceptionCode.LockKeyConflict;
import static io.tessera.codec.message.TransactionExceptionCode.Unknown;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tessera.codec.compress.Compressors;
import io.tessera.codec.message.BatchResultMessage;
import io.tessera.codec.message.BranchEndRequest;
import io.tessera.codec.message.BranchEndResponse;
import io.tessera.codec.message.BranchRegisterRequest;
import io.tessera.codec.message.BranchRegisterResponse;
import io.tessera.codec.message.BranchReportRequest;
import io.tessera.codec.message.BranchReportResponse;
import io.tessera.codec.message.GlobalBeginRequest;
import io.tessera.codec.message.GlobalBeginResponse;
import io.tessera.codec.message.GlobalEndRequest;
import io.tessera.codec.message.GlobalEndRequest.Kind;
import io.tessera.codec.message.GlobalEndResponse;
import io.tessera.codec.message.GlobalLockQueryRequest;
import io.tessera.codec.message.GlobalLockQueryResponse;
import io.tessera.codec.message.GlobalReportRequest;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.message.HeartbeatMessage;
import io.tessera.codec.message.MergeResultMessage;
import io.tessera.codec.message.MergedWarpMessage;
import io.tessera.codec.message.Message;
import io.tessera.codec.message.RegisterRMRequest;
import io.tessera.codec.message.RegisterRMResponse;
import io.tessera.codec.message.RegisterTMRequest;
import io.tessera.codec.message.RegisterTMResponse;
import io.tessera.codec.message.UndoLogDeleteRequest;
import io.tessera.codec.oracle.SeataVectors;
import io.tessera.codec.seata.SeataBodyCodec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every SEATA-codec vector of seata-vectors.txt: decoded field by field, then re-encoded byte for byte. */
class GoldenVectorTest {
    static final String X = "192.168.0.2:8091:2000042948";
    static final String DB1 = "jdbc:mysql://127.0.0.1:3306/db1";
    static final String C_XID = "127.0.0.1:18091:5001";
    static final String TM_EXTRA = "ak=null\ndigest=default_tx_group,10.0.0.5,1700000000000\ntimestamp=1700000000000\n"
            + "authVersion=V4\nvgroup=default_tx_group\nip=10.0.0.5\n";

    private final SeataVectors vectors = SeataVectors.load();
    private final FrameCodec codec = new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME_LENGTH, List.of(new SeataBodyCodec()));

    private static RpcFrame f(int type, int id, Message body) {
        return new RpcFrame((byte) type, RpcFrame.CODEC_SEATA, (byte) 0, id, Map.of(), body);
    }

    /** Decode equals the expected frame, and our encoding of it is the vector byte for byte. */
    private void exact(String id, RpcFrame expected) {
        exact(vectors.frame(id), expected);
    }

    private void exact(byte[] bytes, RpcFrame expected) {
        assertEquals(expected, codec.decode(bytes));
        assertArrayEquals(bytes, codec.encode(expected), () -> HexFormat.of().formatHex(codec.encode(expected)));
    }

    @Test
    void heartbeats() {
        exact("V1", f(3, 1, HeartbeatMessage.PING));
        exact("V2", f(4, 1, HeartbeatMessage.PONG));
        assertEquals(RpcFrame.pong(codec.decode(vectors.frame("V1"))), codec.decode(vectors.frame("V2")));
    }

    @Test
    void registration() {
        exact("V3", f(0, 1, new RegisterTMRequest("2.2.0", "app", "default_tx_group", TM_EXTRA)));
        exact("V4", f(1, 1, new RegisterTMResponse(true, "2.2.0", null, null, null)));
        exact("V5", f(1, 1, new RegisterTMResponse(false, "2.2.0", null, null, null)));
        exact("V6", f(0, 2, new RegisterRMRequest("2.2.0", "app", "default_tx_group", null,
                DB1 + ",jdbc:mysql://127.0.0.1:3306/db2")));
        exact("V7", f(1, 2, new RegisterRMResponse(true, "2.2.0", null, null, null)));
    }

    @Test
    void globalTransactions() {
        exact("V8", f(0, 5, new GlobalBeginRequest(60000, "test-tx")));
        exact("V9", f(1, 5, new GlobalBeginResponse(Success, null, Unknown, X, null)));
        exact("V10", f(1, 5, new GlobalBeginResponse(Failed, "boom", BeginFailed, null, null)));
        exact("V11", f(0, 6, new GlobalEndRequest(Kind.COMMIT, X, null)));
        exact("V12", f(1, 6, new GlobalEndResponse(Kind.COMMIT, Success, null, Unknown, GlobalStatus.Committed)));
        exact("V13", f(0, 7, new GlobalEndRequest(Kind.ROLLBACK, X, "x")));
        exact("V14", f(1, 7, new GlobalEndResponse(Kind.ROLLBACK, Success, null, Unknown, GlobalStatus.Rollbacked)));
        exact("V15", f(0, 8, new GlobalEndRequest(Kind.STATUS, X, null)));
        exact("V16", f(1, 8, new GlobalEndResponse(Kind.STATUS, Failed, "TransactionException[not found]",
                GlobalTransactionNotExist, GlobalStatus.Finished)));
        exact("V17", f(0, 9, new GlobalReportRequest(X, null, GlobalStatus.Committed)));
        exact("V18", f(0, 10, new GlobalReportRequest(X, null, null)));
        exact("V19", f(1, 9, new GlobalEndResponse(Kind.REPORT, Success, null, Unknown, GlobalStatus.Committed)));
    }

    @Test
    void branches() {
        exact("V20", f(0, 11, new BranchRegisterRequest(X, AT, DB1, "t_order:1,2", null)));
        exact("V21", f(1, 11, new BranchRegisterResponse(Success, null, Unknown, 2000042949L)));
        exact("V22", f(1, 11, new BranchRegisterResponse(Failed, "lock conflict", LockKeyConflict, 0)));
        exact("V23", f(0, 12, new BranchReportRequest(X, 2000042949L, PhaseOne_Failed, "res1", "{\"a\":1}", TCC)));
        exact("V24", f(1, 12, new BranchReportResponse(Success, null, Unknown)));
        exact("V25", f(0, 13, new GlobalLockQueryRequest(X, AT, DB1, "t_order:1", null)));
        exact("V26", f(1, 13, new GlobalLockQueryResponse(Success, null, Unknown, true)));
        exact("V27", f(0, 1, new BranchEndRequest(true, X, 2000042949L, AT, DB1, null)));
        exact("V28", f(1, 1, new BranchEndResponse(true, Success, null, Unknown, X, 2000042949L,
                PhaseTwo_Committed)));
        exact("V29", f(0, 2, new BranchEndRequest(false, X, 2000042950L, TCC, "orderTccAction",
                "{\"actionContext\":{}}")));
        exact("V30", f(1, 2, new BranchEndResponse(false, Success, null, Unknown, X, 2000042950L,
                PhaseTwo_Rollbacked)));
        exact("V31", f(2, 3, new UndoLogDeleteRequest(AT, DB1, (short) 7)));
        exact("V40", f(1, 1001, new BranchEndResponse(true, Failed, "TransactionException[x]",
                BranchTransactionNotExist, X, 2000042949L, PhaseTwo_CommitFailed_Retryable)));
    }

    @Test
    void batches() {
        var register = new BranchRegisterResponse(Success, null, Unknown, 77);
        var lock = new GlobalLockQueryResponse(Success, null, Unknown, false);
        exact("V32", f(2, 23, new MergedWarpMessage(List.of(new BranchRegisterRequest(X, AT, "r1", "t:1", null),
                new GlobalLockQueryRequest(X, AT, "r1", "t:2", null)), List.of(21, 22))));
        exact("V33", f(1, 23, new MergeResultMessage(List.of(register, lock))));
        exact("V34", f(1, 23, new BatchResultMessage(List.of(register, lock), List.of(21, 22))));
    }

    @Test
    void headMapIsReadKeptAndWritten() {
        exact("V35", new RpcFrame((byte) 0, RpcFrame.CODEC_SEATA, (byte) 0, 30, Map.of("k", "v"),
                new GlobalEndRequest(Kind.STATUS, X, null)));
    }

    /** Compressed vectors: decode; re-encoding need not be byte-identical, so compare the decompressed bodies. */
    @ParameterizedTest
    @ValueSource(strings = {"V36:1:31", "V41:6:40", "V48:2:50", "V49:4:51", "V50:5:52", "V51:7:53"})
    void compressedVectors(String spec) {
        String[] p = spec.split(":");
        byte compressor = Byte.parseByte(p[1]);
        byte[] bytes = vectors.frame(p[0]);
        RpcFrame expected = new RpcFrame((byte) 0, RpcFrame.CODEC_SEATA, compressor, Integer.parseInt(p[2]),
                Map.of(), new GlobalBeginRequest(60000, "test-tx"));
        assertEquals(expected, codec.decode(bytes));
        byte[] ours = codec.encode(expected);
        assertEquals(expected, codec.decode(ours));
        var c = new Compressors().get(compressor);
        assertArrayEquals(c.decompress(Arrays.copyOfRange(bytes, 16, bytes.length), 1 << 20),
                c.decompress(Arrays.copyOfRange(ours, 16, ours.length), 1 << 20));
        assertArrayEquals(HexFormat.of().parseHex("00010000ea600007746573742d7478"),
                c.decompress(Arrays.copyOfRange(ours, 16, ours.length), 1 << 20));
        // Same header apart from fullLength (bytes 3..6), which follows the compressed size.
        assertArrayEquals(Arrays.copyOf(bytes, 3), Arrays.copyOf(ours, 3));
        assertArrayEquals(Arrays.copyOfRange(bytes, 7, 16), Arrays.copyOfRange(ours, 7, 16));
    }

    @Test
    void legacyV0IsRefusedWithAClearReason() {
        for (String id : List.of("V46", "V47")) {
            CodecException e = assertThrows(CodecException.class, () -> codec.decode(vectors.frame(id)));
            assertEquals(CodecException.Reason.UNSUPPORTED_VERSION, e.reason());
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("v0"), e.getMessage());
        }
    }

    @Test
    void corruptRmFrameIsTooShort() {
        CodecException e = assertThrows(CodecException.class, () -> codec.decode(vectors.frame("N1")));
        assertEquals(CodecException.Reason.FRAME_TOO_SHORT, e.reason());
    }

    @Test
    void protobufVectorsNeedTheProtobufCodec() {
        for (String id : List.of("V37", "V38", "V39", "V42", "V43", "V44", "V45")) {
            byte[] bytes = vectors.frame(id);
            assertEquals(RpcFrame.CODEC_PROTOBUF, bytes[10]);
            assertEquals(bytes.length, java.nio.ByteBuffer.wrap(bytes, 3, 4).getInt());
            CodecException e = assertThrows(CodecException.class, () -> codec.decode(bytes));
            assertEquals(CodecException.Reason.UNKNOWN_CODEC, e.reason());
        }
    }

    @Test
    void capturedClientExchanges() {
        String tmExtra = "ak=null\ndigest=default_tx_group,192.0.2.2,1795316066988\ntimestamp=1795316066988\n"
                + "authVersion=V4\nvgroup=default_tx_group\nip=192.0.2.2\n";
        exact(vectors.frames("C1").get(0), f(0, 1, new RegisterTMRequest("2.2.0", "app", "default_tx_group", tmExtra)));
        exact(vectors.frames("C1").get(1), f(1, 1, new RegisterTMResponse(true, "2.2.0", null, null, null)));
        assertEquals("2.5.0", ((RegisterTMRequest) codec.decode(vectors.frame("C2")).body()).version());
        exact(vectors.frames("C3").get(0), f(0, 2, new GlobalBeginRequest(60000, "test-tx")));
        exact(vectors.frames("C3").get(1), f(1, 2, new GlobalBeginResponse(Success, null, Unknown, C_XID, null)));
        List<byte[]> c4 = vectors.frames("C4");
        exact(c4.get(0), f(0, 3, new GlobalEndRequest(Kind.STATUS, C_XID, null)));
        exact(c4.get(1), f(0, 4, new GlobalEndRequest(Kind.COMMIT, C_XID, null)));
        exact(c4.get(2), f(0, 5, new GlobalEndRequest(Kind.ROLLBACK, C_XID, null)));
        exact(c4.get(3), f(1, 3, new GlobalEndResponse(Kind.STATUS, Success, null, Unknown, GlobalStatus.Begin)));
        exact(c4.get(4), f(1, 4, new GlobalEndResponse(Kind.COMMIT, Success, null, Unknown, GlobalStatus.Committed)));
        exact(c4.get(5), f(1, 5, new GlobalEndResponse(Kind.ROLLBACK, Success, null, Unknown,
                GlobalStatus.Rollbacked)));
        exact(vectors.frames("C5").get(0), f(0, 1, new RegisterRMRequest("2.2.0", "app", "default_tx_group", null,
                "res1")));
        exact(vectors.frames("C5").get(1), f(1, 1, new RegisterRMResponse(true, "2.2.0", null, null, null)));
        List<byte[]> c6 = vectors.frames("C6");
        var registered = new BranchRegisterResponse(Success, null, Unknown, 5002);
        exact(c6.get(0), f(2, 3, new MergedWarpMessage(List.of(new BranchRegisterRequest("127.0.0.1:1:1", AT, "res1",
                "t:1", null)), List.of(2))));
        exact(c6.get(1), f(1, 3, new MergeResultMessage(List.of(registered))));
        exact(c6.get(2), f(1, 3, new BatchResultMessage(List.of(registered), List.of(2))));
        exact(c6.get(3), f(1, 2, registered));
        List<byte[]> c7 = vectors.frames("C7");
        exact(c7.get(0), f(2, 5, new MergedWarpMessage(List.of(new GlobalLockQueryRequest("127.0.0.1:1:1", AT,
                "res1", "t:2", null)), List.of(4))));
        exact(c7.get(1), f(2, 7, new MergedWarpMessage(List.of(new BranchReportRequest("127.0.0.1:1:1", 42,
                PhaseOne_Done, null, null, AT)), List.of(6))));
        String xid = "127.0.0.1:18091:9999";
        exact(vectors.frames("C8").get(0), f(0, 1001, new BranchEndRequest(true, xid, 10001, AT, "res1", null)));
        exact(vectors.frames("C8").get(1), f(1, 1001, new BranchEndResponse(true, Success, null, Unknown, xid, 10001,
                PhaseTwo_Committed)));
        exact(vectors.frames("C9").get(0), f(0, 1002, new BranchEndRequest(false, xid, 10002, TCC, "res1",
                "{\"k\":\"v\"}")));
        exact(vectors.frames("C9").get(1), f(1, 1002, new BranchEndResponse(false, Success, null, Unknown, xid, 10002,
                PhaseTwo_Rollbacked)));
        exact(vectors.frame("C10"), f(2, 1003, new UndoLogDeleteRequest(AT, "res1", (short) 7)));
        exact(vectors.frames("C11").get(0), f(3, 6, HeartbeatMessage.PING));
        exact(vectors.frames("C11").get(1), f(4, 6, HeartbeatMessage.PONG));
    }

    @Test
    void everyVectorIsCovered() {
        // Guards against the resource silently losing vectors.
        assertEquals(63, vectors.all().size());
    }
}
