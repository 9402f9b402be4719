package io.tessera.codec.seata;

import static io.tessera.codec.seata.RequestLayouts.branchStatus;
import static io.tessera.codec.seata.RequestLayouts.globalStatus;
import static io.tessera.codec.seata.RequestLayouts.required;

import io.tessera.codec.message.BranchEndResponse;
import io.tessera.codec.message.BranchRegisterResponse;
import io.tessera.codec.message.BranchReportResponse;
import io.tessera.codec.message.GlobalBeginResponse;
import io.tessera.codec.message.GlobalEndRequest;
import io.tessera.codec.message.GlobalEndResponse;
import io.tessera.codec.message.GlobalLockQueryResponse;
import io.tessera.codec.message.MessageTypes;
import io.tessera.codec.message.RegisterRMResponse;
import io.tessera.codec.message.RegisterTMResponse;
import io.tessera.codec.message.Response;
import io.tessera.codec.message.ResultCode;
import io.tessera.codec.message.TransactionExceptionCode;
import io.tessera.codec.message.TransactionResponse;

/**
 * Field layouts of the response bodies (spec §6.3.2, §6.4). Payload only, without the type code.
 * ResultHeader = u8 resultCode, then str16 msg only when Failed; TxResultHeader adds the
 * exception-code ordinal.
 */
final class ResponseLayouts {
    private ResponseLayouts() {
    }

    static void encode(Response m, SeataWriter w) {
        // Registration responses carry only identified + version in the SEATA codec.
        if (m instanceof RegisterTMResponse r) {
            identify(w, r.identified(), r.version());
            return;
        }
        if (m instanceof RegisterRMResponse r) {
            identify(w, r.identified(), r.version());
            return;
        }
        TransactionResponse t = (TransactionResponse) m;
        txHeader(w, t);
        if (t instanceof GlobalBeginResponse r) {
            w.str16(r.xid(), "xid");
            w.str16(r.extraData(), "extraData");
        } else if (t instanceof GlobalEndResponse r) {
            w.u8(required(r.globalStatus(), "globalStatus").code());
        } else if (t instanceof BranchRegisterResponse r) {
            w.i64(r.branchId());
        } else if (t instanceof GlobalLockQueryResponse r) {
            w.i16(r.lockable() ? 1 : 0);
        } else if (t instanceof BranchEndResponse r) {
            w.str16(r.xid(), "xid");
            w.i64(r.branchId());
            w.u8(required(r.branchStatus(), "branchStatus").code());
        }
        // BranchReportResponse: header only.
    }

    private static void identify(SeataWriter w, boolean identified, String version) {
        w.u8(identified ? 1 : 0);
        w.str16(version, "version");
    }

    private static void txHeader(SeataWriter w, TransactionResponse t) {
        ResultCode code = required(t.resultCode(), "resultCode");
        w.u8(code.code());
        if (code == ResultCode.Failed) {
            w.str16(t.msg(), "msg");
        }
        w.u8(required(t.exceptionCode(), "exceptionCode").code());
    }

    static Response decode(int typeCode, SeataReader r) {
        return switch (typeCode) {
            // seata-all leaves resultCode, msg and extraData unset (null) for these.
            case MessageTypes.REG_CLT_RESULT -> new RegisterTMResponse(r.u8("identified") == 1,
                    r.str16("version"), null, null, null);
            case MessageTypes.REG_RM_RESULT -> new RegisterRMResponse(r.u8("identified") == 1,
                    r.str16("version"), null, null, null);
            case MessageTypes.GLOBAL_BEGIN_RESULT -> {
                Header h = Header.read(r);
                yield new GlobalBeginResponse(h.code, h.msg, h.exception, r.str16("xid"), r.str16("extraData"));
            }
            case MessageTypes.GLOBAL_COMMIT_RESULT -> globalEnd(GlobalEndRequest.Kind.COMMIT, r);
            case MessageTypes.GLOBAL_ROLLBACK_RESULT -> globalEnd(GlobalEndRequest.Kind.ROLLBACK, r);
            case MessageTypes.GLOBAL_STATUS_RESULT -> globalEnd(GlobalEndRequest.Kind.STATUS, r);
            case MessageTypes.GLOBAL_REPORT_RESULT -> globalEnd(GlobalEndRequest.Kind.REPORT, r);
            case MessageTypes.BRANCH_REGISTER_RESULT -> {
                Header h = Header.read(r);
                yield new BranchRegisterResponse(h.code, h.msg, h.exception, r.i64("branchId"));
            }
            case MessageTypes.BRANCH_STATUS_REPORT_RESULT -> {
                Header h = Header.read(r);
                yield new BranchReportResponse(h.code, h.msg, h.exception);
            }
            case MessageTypes.GLOBAL_LOCK_QUERY_RESULT -> {
                Header h = Header.read(r);
                yield new GlobalLockQueryResponse(h.code, h.msg, h.exception, r.i16("lockable") == 1);
            }
            case MessageTypes.BRANCH_COMMIT_RESULT -> branchEnd(true, r);
            case MessageTypes.BRANCH_ROLLBACK_RESULT -> branchEnd(false, r);
            default -> null;
        };
    }

    private static GlobalEndResponse globalEnd(GlobalEndRequest.Kind kind, SeataReader r) {
        Header h = Header.read(r);
        return new GlobalEndResponse(kind, h.code, h.msg, h.exception, globalStatus(r.u8("globalStatus")));
    }

    private static BranchEndResponse branchEnd(boolean commit, SeataReader r) {
        Header h = Header.read(r);
        return new BranchEndResponse(commit, h.code, h.msg, h.exception, r.str16("xid"), r.i64("branchId"),
                branchStatus(r.u8("branchStatus")));
    }

    private record Header(ResultCode code, String msg, TransactionExceptionCode exception) {
        static Header read(SeataReader r) {
            int c = r.u8("resultCode");
            if (c > 1) {
                throw SeataReader.malformed("unknown ResultCode " + c);
            }
            ResultCode code = ResultCode.of(c);
            String msg = code == ResultCode.Failed ? r.str16("msg") : null;
            int e = r.u8("exceptionCode");
            if (e >= TransactionExceptionCode.values().length) {
                throw SeataReader.malformed("unknown TransactionExceptionCode " + e);
            }
            return new Header(code, msg, TransactionExceptionCode.of(e));
        }
    }
}
