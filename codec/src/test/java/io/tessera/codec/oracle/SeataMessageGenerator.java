package io.tessera.codec.oracle;

import io.tessera.codec.message.BatchResultMessage;
import io.tessera.codec.message.BranchEndRequest;
import io.tessera.codec.message.BranchEndResponse;
import io.tessera.codec.message.BranchRegisterRequest;
import io.tessera.codec.message.BranchRegisterResponse;
import io.tessera.codec.message.BranchReportRequest;
import io.tessera.codec.message.BranchReportResponse;
import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalBeginRequest;
import io.tessera.codec.message.GlobalBeginResponse;
import io.tessera.codec.message.GlobalEndRequest;
import io.tessera.codec.message.GlobalEndRequest.Kind;
import io.tessera.codec.message.GlobalEndResponse;
import io.tessera.codec.message.GlobalLockQueryRequest;
import io.tessera.codec.message.GlobalLockQueryResponse;
import io.tessera.codec.message.GlobalReportRequest;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.message.MergeResultMessage;
import io.tessera.codec.message.MergedWarpMessage;
import io.tessera.codec.message.Message;
import io.tessera.codec.message.RegisterRMRequest;
import io.tessera.codec.message.RegisterRMResponse;
import io.tessera.codec.message.RegisterTMRequest;
import io.tessera.codec.message.RegisterTMResponse;
import io.tessera.codec.message.Request;
import io.tessera.codec.message.Response;
import io.tessera.codec.message.ResultCode;
import io.tessera.codec.message.TransactionExceptionCode;
import io.tessera.codec.message.UndoLogDeleteRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random messages of every SEATA type that seata-all 2.5.0 can also encode: nulls, empty strings,
 * non-ASCII text, str16 values up to the 32 767-byte limit, str32 values up to ~100 KB, extreme
 * numbers and every enum value the 2.5 client knows. Deterministic for a given Random.
 */
public final class SeataMessageGenerator {
    /** Every body type code of spec §5 except heartbeats (which have no body). */
    public static final int[] TYPE_CODES = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 21, 22,
        59, 60, 101, 102, 103, 104, 111, 121};
    private static final int[] BATCHED_REQUESTS = {1, 7, 9, 11, 13, 15, 17, 21};
    private static final int[] BATCHED_RESPONSES = {2, 4, 6, 8, 10, 12, 14, 16, 18, 22};
    private static final String[] SAMPLES = {"a", "app", "default_tx_group", "192.168.0.2:8091:2000042948",
        "jdbc:mysql://127.0.0.1:3306/db1", "订单服务", "naïve café", "emoji 🚀 x", "t_order:1,2;t_item:3",
        "{\"autoCommit\":false}", "line1\nline2", " ", "\u0000"};

    private final Random random;
    /** Leaves room for protocols (PROTOBUF) with tighter limits; SEATA uses the str16 limit. */
    private final boolean longStrings;

    public SeataMessageGenerator(Random random) {
        this(random, true);
    }

    public SeataMessageGenerator(Random random, boolean longStrings) {
        this.random = random;
        this.longStrings = longStrings;
    }

    public Message generate(int typeCode) {
        return switch (typeCode) {
            case 1 -> new GlobalBeginRequest(anInt(), str16());
            case 2 -> new GlobalBeginResponse(resultCode(), str16(), exceptionCode(), str16(), str16());
            case 3, 5 -> new BranchEndRequest(typeCode == 3, nonEmpty(), aLong(), branchType(), nonEmpty(), str32());
            case 4, 6 -> new BranchEndResponse(typeCode == 4, resultCode(), str16(), exceptionCode(), str16(),
                    aLong(), branchStatus());
            case 7 -> new GlobalEndRequest(Kind.COMMIT, str16(), str16());
            case 9 -> new GlobalEndRequest(Kind.ROLLBACK, str16(), str16());
            case 15 -> new GlobalEndRequest(Kind.STATUS, str16(), str16());
            case 8 -> globalEndResponse(Kind.COMMIT);
            case 10 -> globalEndResponse(Kind.ROLLBACK);
            case 16 -> globalEndResponse(Kind.STATUS);
            case 18 -> globalEndResponse(Kind.REPORT);
            case 17 -> new GlobalReportRequest(str16(), str16(), random.nextInt(5) == 0 ? null : globalStatus());
            case 11 -> new BranchRegisterRequest(str16(), branchType(), str16(), str32(), str32());
            case 12 -> new BranchRegisterResponse(resultCode(), str16(), exceptionCode(), aLong());
            case 13 -> new BranchReportRequest(str16(), aLong(), branchStatus(), str16(), str32(), branchType());
            case 14 -> new BranchReportResponse(resultCode(), str16(), exceptionCode());
            case 21 -> new GlobalLockQueryRequest(str16(), branchType(), str16(), str32(), str32());
            case 22 -> new GlobalLockQueryResponse(resultCode(), str16(), exceptionCode(), random.nextBoolean());
            case 101 -> new RegisterTMRequest(str16(), str16(), str16(), str16());
            case 102 -> new RegisterTMResponse(random.nextBoolean(), str16(), str16(), resultCode(), str16());
            case 103 -> new RegisterRMRequest(str16(), str16(), str16(), str16(), str32());
            case 104 -> new RegisterRMResponse(random.nextBoolean(), str16(), str16(), resultCode(), str16());
            case 111 -> new UndoLogDeleteRequest(branchType(), nonEmpty(), (short) anInt());
            case 59 -> {
                int n = random.nextInt(11);
                List<Request> msgs = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    msgs.add((Request) generate(BATCHED_REQUESTS[random.nextInt(BATCHED_REQUESTS.length)]));
                }
                yield new MergedWarpMessage(msgs, ids(n));
            }
            case 60 -> new MergeResultMessage(responses(random.nextInt(11)));
            case 121 -> {
                int n = random.nextInt(11);
                yield new BatchResultMessage(responses(n), ids(n));
            }
            default -> throw new IllegalArgumentException("type " + typeCode);
        };
    }

    private GlobalEndResponse globalEndResponse(Kind kind) {
        return new GlobalEndResponse(kind, resultCode(), str16(), exceptionCode(), globalStatus());
    }

    private List<Response> responses(int n) {
        List<Response> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add((Response) generate(BATCHED_RESPONSES[random.nextInt(BATCHED_RESPONSES.length)]));
        }
        return out;
    }

    private List<Integer> ids(int n) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(anInt());
        }
        return ids;
    }

    private ResultCode resultCode() {
        return ResultCode.values()[random.nextInt(2)];
    }

    private TransactionExceptionCode exceptionCode() {
        return TransactionExceptionCode.values()[random.nextInt(TransactionExceptionCode.values().length)];
    }

    private BranchType branchType() {
        return BranchType.values()[random.nextInt(BranchType.values().length)];
    }

    private BranchStatus branchStatus() {
        return BranchStatus.values()[random.nextInt(BranchStatus.values().length)];
    }

    private GlobalStatus globalStatus() {
        return GlobalStatus.values()[random.nextInt(GlobalStatus.values().length)];
    }

    private int anInt() {
        return switch (random.nextInt(6)) {
            case 0 -> Integer.MIN_VALUE;
            case 1 -> Integer.MAX_VALUE;
            case 2 -> 0;
            case 3 -> -1;
            default -> random.nextInt();
        };
    }

    private long aLong() {
        return switch (random.nextInt(6)) {
            case 0 -> Long.MIN_VALUE;
            case 1 -> Long.MAX_VALUE;
            case 2 -> 0;
            case 3 -> -1;
            default -> random.nextLong();
        };
    }

    public String nonEmpty() {
        String s;
        do {
            s = str16();
        } while (s == null || s.isEmpty());
        return s;
    }

    /** A string whose UTF-8 form fits a str16 (≤ 32 767 bytes). */
    public String str16() {
        return switch (random.nextInt(10)) {
            case 0 -> null;
            case 1 -> "";
            case 2 -> longStrings ? fitUtf8(text(random.nextInt(20_000)), Short.MAX_VALUE) : text(300);
            case 3 -> longStrings && random.nextBoolean() ? "x".repeat(Short.MAX_VALUE) : text(40);
            default -> random.nextBoolean() ? SAMPLES[random.nextInt(SAMPLES.length)] : text(random.nextInt(60));
        };
    }

    /** A string for str32 fields (lock keys, application data, resource ids): up to ~100 KB. */
    public String str32() {
        return switch (random.nextInt(8)) {
            case 0 -> null;
            case 1 -> "";
            case 2 -> longStrings ? text(random.nextInt(100_000)) : text(500);
            default -> SAMPLES[random.nextInt(SAMPLES.length)];
        };
    }

    private String text(int chars) {
        StringBuilder sb = new StringBuilder(chars);
        while (sb.length() < chars) {
            switch (random.nextInt(4)) {
                case 0 -> sb.append((char) ('a' + random.nextInt(26)));
                case 1 -> sb.append((char) (0x4E00 + random.nextInt(0x5000)));
                case 2 -> sb.appendCodePoint(0x1F300 + random.nextInt(0x200));
                default -> sb.append(":,;0123456789".charAt(random.nextInt(13)));
            }
        }
        return sb.toString();
    }

    private static String fitUtf8(String s, int maxBytes) {
        while (s.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            s = s.substring(0, s.offsetByCodePoints(0, s.codePointCount(0, s.length()) * 3 / 4));
        }
        return s;
    }
}
