package io.tessera.codec.seata;

import io.tessera.codec.CodecException;
import io.tessera.codec.message.BranchEndRequest;
import io.tessera.codec.message.BranchRegisterRequest;
import io.tessera.codec.message.BranchReportRequest;
import io.tessera.codec.message.BranchStatus;
import io.tessera.codec.message.BranchType;
import io.tessera.codec.message.GlobalBeginRequest;
import io.tessera.codec.message.GlobalEndRequest;
import io.tessera.codec.message.GlobalLockQueryRequest;
import io.tessera.codec.message.GlobalReportRequest;
import io.tessera.codec.message.GlobalStatus;
import io.tessera.codec.message.MessageTypes;
import io.tessera.codec.message.RegisterRMRequest;
import io.tessera.codec.message.RegisterTMRequest;
import io.tessera.codec.message.Request;
import io.tessera.codec.message.UndoLogDeleteRequest;

/**
 * Field layouts of the request bodies (spec §6.3.1, §6.4). Payload only: the 2-byte type code is
 * handled by the caller. Decoders return null vs "" exactly where seata-all's decoders do.
 */
final class RequestLayouts {
    private RequestLayouts() {
    }

    static void encode(Request m, SeataWriter w) {
        if (m instanceof RegisterTMRequest r) {
            w.str16(r.version(), "version");
            w.str16(r.applicationId(), "applicationId");
            w.str16(r.transactionServiceGroup(), "transactionServiceGroup");
            w.str16(r.extraData(), "extraData");
        } else if (m instanceof RegisterRMRequest r) {
            w.str16(r.version(), "version");
            w.str16(r.applicationId(), "applicationId");
            w.str16(r.transactionServiceGroup(), "transactionServiceGroup");
            w.str16(r.extraData(), "extraData");
            w.str32(r.resourceIds());
        } else if (m instanceof GlobalBeginRequest r) {
            w.i32(r.timeout());
            w.str16(r.transactionName(), "transactionName");
        } else if (m instanceof GlobalEndRequest r) {
            w.str16(r.xid(), "xid");
            w.str16(r.extraData(), "extraData");
        } else if (m instanceof GlobalReportRequest r) {
            w.str16(r.xid(), "xid");
            w.str16(r.extraData(), "extraData");
            // 0xFF stands for "no status" (spec §6.4.3).
            w.u8(r.globalStatus() == null ? 0xFF : r.globalStatus().code());
        } else if (m instanceof BranchRegisterRequest r) {
            branchRegisterLayout(w, r.xid(), r.branchType(), r.resourceId(), r.lockKey(), r.applicationData());
        } else if (m instanceof GlobalLockQueryRequest r) {
            branchRegisterLayout(w, r.xid(), r.branchType(), r.resourceId(), r.lockKey(), r.applicationData());
        } else if (m instanceof BranchReportRequest r) {
            w.str16(r.xid(), "xid");
            w.i64(r.branchId());
            w.u8(required(r.status(), "status").code());
            w.str16(r.resourceId(), "resourceId");
            w.str32(r.applicationData());
            w.u8(required(r.branchType(), "branchType").code());
        } else if (m instanceof BranchEndRequest r) {
            // The RM's decoder stops at an empty xid or resourceId and runs the branch with
            // default fields (spec §6.4.8); refuse rather than send something it misreads.
            nonEmpty(r.xid(), "BranchEndRequest.xid");
            nonEmpty(r.resourceId(), "BranchEndRequest.resourceId");
            w.str16(r.xid(), "xid");
            w.i64(r.branchId());
            w.u8(required(r.branchType(), "branchType").code());
            w.str16(r.resourceId(), "resourceId");
            w.str32(r.applicationData());
        } else if (m instanceof UndoLogDeleteRequest r) {
            nonEmpty(r.resourceId(), "UndoLogDeleteRequest.resourceId");
            w.u8(required(r.branchType(), "branchType").code());
            w.str16(r.resourceId(), "resourceId");
            w.i16(r.saveDays());
        } else {
            throw new CodecException(CodecException.Reason.UNENCODABLE, "unsupported request " + m);
        }
    }

    private static void branchRegisterLayout(SeataWriter w, String xid, BranchType type, String resourceId,
            String lockKey, String applicationData) {
        w.str16(xid, "xid");
        w.u8(required(type, "branchType").code());
        w.str16(resourceId, "resourceId");
        w.str32(lockKey);
        w.str32(applicationData);
    }

    static Request decode(int typeCode, SeataReader r) {
        return switch (typeCode) {
            case MessageTypes.REG_CLT -> new RegisterTMRequest(r.str16OrEmpty("version"),
                    r.str16OrEmpty("applicationId"), r.str16OrEmpty("transactionServiceGroup"),
                    r.str16OrEmpty("extraData"));
            // seata-all yields "" only for transactionServiceGroup here, null for the others.
            case MessageTypes.REG_RM -> new RegisterRMRequest(r.str16("version"), r.str16("applicationId"),
                    r.str16OrEmpty("transactionServiceGroup"), r.str16("extraData"), r.str32("resourceIds"));
            case MessageTypes.GLOBAL_BEGIN -> new GlobalBeginRequest(r.i32("timeout"), r.str16("transactionName"));
            case MessageTypes.GLOBAL_COMMIT -> globalEnd(GlobalEndRequest.Kind.COMMIT, r);
            case MessageTypes.GLOBAL_ROLLBACK -> globalEnd(GlobalEndRequest.Kind.ROLLBACK, r);
            case MessageTypes.GLOBAL_STATUS -> globalEnd(GlobalEndRequest.Kind.STATUS, r);
            case MessageTypes.GLOBAL_REPORT -> {
                String xid = r.str16("xid");
                String extra = r.str16("extraData");
                byte status = (byte) r.u8("globalStatus");
                // seata-all: any negative byte means "no status".
                yield new GlobalReportRequest(xid, extra, status < 0 ? null : globalStatus(status));
            }
            case MessageTypes.BRANCH_REGISTER -> new BranchRegisterRequest(r.str16("xid"),
                    branchType(r.u8("branchType")), r.str16("resourceId"), r.str32("lockKey"),
                    r.str32("applicationData"));
            case MessageTypes.GLOBAL_LOCK_QUERY -> new GlobalLockQueryRequest(r.str16("xid"),
                    branchType(r.u8("branchType")), r.str16("resourceId"), r.str32("lockKey"),
                    r.str32("applicationData"));
            case MessageTypes.BRANCH_STATUS_REPORT -> new BranchReportRequest(r.str16("xid"), r.i64("branchId"),
                    branchStatus(r.u8("status")), r.str16("resourceId"), r.str32("applicationData"),
                    branchType(r.u8("branchType")));
            case MessageTypes.BRANCH_COMMIT -> branchEnd(true, r);
            case MessageTypes.BRANCH_ROLLBACK -> branchEnd(false, r);
            case MessageTypes.RM_DELETE_UNDOLOG -> new UndoLogDeleteRequest(branchType(r.u8("branchType")),
                    r.str16("resourceId"), r.i16("saveDays"));
            default -> null;
        };
    }

    private static GlobalEndRequest globalEnd(GlobalEndRequest.Kind kind, SeataReader r) {
        return new GlobalEndRequest(kind, r.str16("xid"), r.str16("extraData"));
    }

    private static BranchEndRequest branchEnd(boolean commit, SeataReader r) {
        return new BranchEndRequest(commit, r.str16("xid"), r.i64("branchId"), branchType(r.u8("branchType")),
                r.str16("resourceId"), r.str32("applicationData"));
    }

    static <T> T required(T value, String field) {
        if (value == null) {
            throw new CodecException(CodecException.Reason.UNENCODABLE, field + " must not be null");
        }
        return value;
    }

    private static void nonEmpty(String value, String field) {
        if (value == null || value.isEmpty()) {
            throw new CodecException(CodecException.Reason.UNENCODABLE,
                    field + " must be non-empty: the client's decoder stops at an empty value");
        }
    }

    static BranchType branchType(int code) {
        try {
            return BranchType.of(code);
        } catch (IllegalArgumentException e) {
            throw SeataReader.malformed(e.getMessage());
        }
    }

    static BranchStatus branchStatus(int code) {
        try {
            return BranchStatus.of(code);
        } catch (IllegalArgumentException e) {
            throw SeataReader.malformed(e.getMessage());
        }
    }

    static GlobalStatus globalStatus(int code) {
        try {
            return GlobalStatus.of(code);
        } catch (IllegalArgumentException e) {
            throw SeataReader.malformed(e.getMessage());
        }
    }
}
