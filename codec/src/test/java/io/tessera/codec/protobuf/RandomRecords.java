package io.tessera.codec.protobuf;

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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Seeded random records covering everything the PROTOBUF codec can carry: null/empty/non-ASCII/long
 * strings, extreme numbers, and every enum value the codec encodes (including the ones it maps to
 * a nearest value). Values the codec must refuse are tested separately.
 */
final class RandomRecords {

    /** One generator per message type (and per kind of the shared-layout records). */
    enum Kind {
        REGISTER_TM_REQUEST(g -> new RegisterTMRequest(g.str(), g.str(), g.str(), g.str())),
        REGISTER_RM_REQUEST(g -> new RegisterRMRequest(g.str(), g.str(), g.str(), g.str(), g.longStr())),
        REGISTER_TM_RESPONSE(g -> new RegisterTMResponse(g.bool(), g.str(), g.str(), g.nullableResultCode(), g.str())),
        REGISTER_RM_RESPONSE(g -> new RegisterRMResponse(g.bool(), g.str(), g.str(), g.nullableResultCode(), g.str())),
        GLOBAL_BEGIN_REQUEST(g -> new GlobalBeginRequest(g.int32(), g.str())),
        GLOBAL_BEGIN_RESPONSE(g -> new GlobalBeginResponse(g.resultCode(), g.str(), g.exceptionCode(), g.str(), g.str())),
        GLOBAL_COMMIT_REQUEST(g -> new GlobalEndRequest(GlobalEndRequest.Kind.COMMIT, g.str(), g.str())),
        GLOBAL_ROLLBACK_REQUEST(g -> new GlobalEndRequest(GlobalEndRequest.Kind.ROLLBACK, g.str(), g.str())),
        GLOBAL_STATUS_REQUEST(g -> new GlobalEndRequest(GlobalEndRequest.Kind.STATUS, g.str(), g.str())),
        GLOBAL_REPORT_REQUEST(g -> new GlobalReportRequest(g.str(), g.str(), g.globalStatus())),
        GLOBAL_COMMIT_RESPONSE(g -> g.globalEndResponse(GlobalEndRequest.Kind.COMMIT)),
        GLOBAL_ROLLBACK_RESPONSE(g -> g.globalEndResponse(GlobalEndRequest.Kind.ROLLBACK)),
        GLOBAL_STATUS_RESPONSE(g -> g.globalEndResponse(GlobalEndRequest.Kind.STATUS)),
        GLOBAL_REPORT_RESPONSE(g -> g.globalEndResponse(GlobalEndRequest.Kind.REPORT)),
        BRANCH_REGISTER_REQUEST(g -> new BranchRegisterRequest(g.str(), g.branchType(), g.str(), g.longStr(), g.longStr())),
        BRANCH_REGISTER_RESPONSE(g -> new BranchRegisterResponse(g.resultCode(), g.str(), g.exceptionCode(), g.int64())),
        BRANCH_REPORT_REQUEST(g -> new BranchReportRequest(g.str(), g.int64(), g.reportStatus(), g.str(), g.longStr(),
                g.branchType())),
        BRANCH_REPORT_RESPONSE(g -> new BranchReportResponse(g.resultCode(), g.str(), g.exceptionCode())),
        GLOBAL_LOCK_QUERY_REQUEST(g -> new GlobalLockQueryRequest(g.str(), g.branchType(), g.str(), g.longStr(), g.longStr())),
        GLOBAL_LOCK_QUERY_RESPONSE(g -> new GlobalLockQueryResponse(g.resultCode(), g.str(), g.exceptionCode(), g.bool())),
        BRANCH_COMMIT_REQUEST(g -> g.branchEndRequest(true)),
        BRANCH_ROLLBACK_REQUEST(g -> g.branchEndRequest(false)),
        BRANCH_COMMIT_RESPONSE(g -> g.branchEndResponse(true)),
        BRANCH_ROLLBACK_RESPONSE(g -> g.branchEndResponse(false)),
        UNDO_LOG_DELETE_REQUEST(g -> new UndoLogDeleteRequest(g.branchType(), g.str(), g.int16())),
        MERGED_WARP_MESSAGE(g -> new MergedWarpMessage(g.requests(), g.ids())),
        MERGE_RESULT_MESSAGE(g -> new MergeResultMessage(g.responses())),
        BATCH_RESULT_MESSAGE(g -> new BatchResultMessage(g.responses(), g.ids()));

        private final Function<RandomRecords, Message> generator;

        Kind(Function<RandomRecords, Message> generator) {
            this.generator = generator;
        }

        Message generate(RandomRecords g) {
            return generator.apply(g);
        }
    }

    private static final List<Kind> REQUEST_KINDS = Arrays.stream(Kind.values())
            .filter(k -> k.name().endsWith("_REQUEST")).toList();
    private static final List<Kind> RESPONSE_KINDS = Arrays.stream(Kind.values())
            .filter(k -> k.name().endsWith("_RESPONSE")).toList();

    private static final String[] SAMPLES = {
        "192.168.0.2:8091:2000042948", "jdbc:mysql://127.0.0.1:3306/db1", "default_tx_group", "2.2.0",
        "事务-трансакция-συναλλαγή", "emoji \uD83D\uDE80\uD83C\uDF89", "tab\tnew\nline", "{\"autoCommit\":false}",
        "\u0000nul", "ü", " "};

    private final Random rnd;

    RandomRecords(Random rnd) {
        this.rnd = rnd;
    }

    String str() {
        return switch (rnd.nextInt(10)) {
            case 0 -> null;
            case 1 -> "";
            case 2, 3 -> SAMPLES[rnd.nextInt(SAMPLES.length)];
            case 4 -> unicode(1 + rnd.nextInt(40));
            default -> ascii(1 + rnd.nextInt(60));
        };
    }

    /** Lock keys, application data and resource lists can be large. */
    String longStr() {
        return switch (rnd.nextInt(6)) {
            case 0 -> lockKey(1 + rnd.nextInt(2000));
            case 1 -> unicode(1 + rnd.nextInt(5000));
            default -> str();
        };
    }

    boolean bool() {
        return rnd.nextBoolean();
    }

    int int32() {
        return switch (rnd.nextInt(6)) {
            case 0 -> Integer.MIN_VALUE;
            case 1 -> Integer.MAX_VALUE;
            case 2 -> 0;
            case 3 -> -1;
            default -> rnd.nextInt();
        };
    }

    long int64() {
        return switch (rnd.nextInt(6)) {
            case 0 -> Long.MIN_VALUE;
            case 1 -> Long.MAX_VALUE;
            case 2 -> 0L;
            case 3 -> -1L;
            default -> rnd.nextLong();
        };
    }

    short int16() {
        return switch (rnd.nextInt(5)) {
            case 0 -> Short.MIN_VALUE;
            case 1 -> Short.MAX_VALUE;
            case 2 -> 0;
            case 3 -> 7;
            default -> (short) rnd.nextInt();
        };
    }

    ResultCode resultCode() {
        return pick(ResultCode.values());
    }

    ResultCode nullableResultCode() {
        return rnd.nextInt(4) == 0 ? null : resultCode();
    }

    /**
     * Every code, null included, except FailedLockGlobalTranscation: seata-all 2.5.0 renamed that
     * constant, so the 2.2.0 serializer cannot map it by name on this classpath (covered by
     * ProtobufEnumPolicyTest against the serializer's generated classes instead).
     */
    TransactionExceptionCode exceptionCode() {
        if (rnd.nextInt(10) == 0) {
            return null;
        }
        TransactionExceptionCode c;
        do {
            c = pick(TransactionExceptionCode.values());
        } while (c == TransactionExceptionCode.FailedLockGlobalTranscation);
        return c;
    }

    /** 0-17: 16 and 17 are mapped to their nearest values; 18-20 are refused. */
    GlobalStatus globalStatus() {
        return GlobalStatus.of(rnd.nextInt(18));
    }

    /** null means the seata-all default AT; XA and SAGA_ANNOTATION are refused. */
    BranchType branchType() {
        return switch (rnd.nextInt(7)) {
            case 0 -> null;
            case 1, 2 -> BranchType.AT;
            case 3, 4 -> BranchType.TCC;
            default -> BranchType.SAGA;
        };
    }

    /** Branch-end responses carry any code by number. */
    BranchStatus anyBranchStatus() {
        return BranchStatus.of(rnd.nextInt(15));
    }

    /** BranchReportRequest maps by name: 1-10 and 13. */
    BranchStatus reportStatus() {
        int code;
        do {
            code = 1 + rnd.nextInt(13);
        } while (code == 11 || code == 12);
        return BranchStatus.of(code);
    }

    GlobalEndResponse globalEndResponse(GlobalEndRequest.Kind kind) {
        return new GlobalEndResponse(kind, resultCode(), str(), exceptionCode(), globalStatus());
    }

    BranchEndRequest branchEndRequest(boolean commit) {
        return new BranchEndRequest(commit, str(), int64(), branchType(), str(), longStr());
    }

    BranchEndResponse branchEndResponse(boolean commit) {
        return new BranchEndResponse(commit, resultCode(), str(), exceptionCode(), str(), int64(), anyBranchStatus());
    }

    List<Request> requests() {
        List<Request> out = new ArrayList<>();
        for (int i = rnd.nextInt(6); i > 0; i--) {
            out.add((Request) pick(REQUEST_KINDS).generate(this));
        }
        return out;
    }

    List<Response> responses() {
        List<Response> out = new ArrayList<>();
        for (int i = rnd.nextInt(6); i > 0; i--) {
            out.add((Response) pick(RESPONSE_KINDS).generate(this));
        }
        return out;
    }

    /** Ids are independent of the element count: neither side checks that they match. */
    List<Integer> ids() {
        List<Integer> out = new ArrayList<>();
        for (int i = rnd.nextInt(7); i > 0; i--) {
            out.add(int32());
        }
        return out;
    }

    private <T> T pick(T[] values) {
        return values[rnd.nextInt(values.length)];
    }

    private <T> T pick(List<T> values) {
        return values.get(rnd.nextInt(values.size()));
    }

    private String ascii(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) (0x20 + rnd.nextInt(0x5f)));
        }
        return sb.toString();
    }

    /** Valid code points only (no lone surrogates, which UTF-8 cannot carry). */
    private String unicode(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            int cp;
            do {
                cp = switch (rnd.nextInt(4)) {
                    case 0 -> rnd.nextInt(0x80);
                    case 1 -> 0x80 + rnd.nextInt(0x800 - 0x80);
                    case 2 -> 0x800 + rnd.nextInt(0x10000 - 0x800);
                    default -> 0x10000 + rnd.nextInt(0x110000 - 0x10000);
                };
            } while (cp >= 0xD800 && cp <= 0xDFFF);
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    private String lockKey(int rows) {
        StringBuilder sb = new StringBuilder("t_order:");
        for (int i = 0; i < rows; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(rnd.nextInt(1_000_000));
        }
        return sb.append(";t_stock:").append(rnd.nextLong()).toString();
    }
}
