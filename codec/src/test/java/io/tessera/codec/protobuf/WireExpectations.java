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
import java.util.List;

/**
 * What a record looks like after a trip through the PROTOBUF wire, written independently of the
 * codec from the spec (§7.1) and the decisions in the report: strings null → "", missing
 * exceptionCode → Unknown, missing branchType → AT, registration resultCode follows identified,
 * and the documented nearest-value mappings for codes the proto enums lack.
 */
final class WireExpectations {

    private WireExpectations() {
    }

    static Message expected(Message m) {
        if (m instanceof RegisterTMRequest r) {
            return new RegisterTMRequest(s(r.version()), s(r.applicationId()), s(r.transactionServiceGroup()),
                    s(r.extraData()));
        } else if (m instanceof RegisterRMRequest r) {
            return new RegisterRMRequest(s(r.version()), s(r.applicationId()), s(r.transactionServiceGroup()),
                    s(r.extraData()), s(r.resourceIds()));
        } else if (m instanceof RegisterTMResponse r) {
            return new RegisterTMResponse(r.identified(), s(r.version()), s(r.extraData()),
                    registrationResult(r.resultCode(), r.identified()), s(r.msg()));
        } else if (m instanceof RegisterRMResponse r) {
            return new RegisterRMResponse(r.identified(), s(r.version()), s(r.extraData()),
                    registrationResult(r.resultCode(), r.identified()), s(r.msg()));
        } else if (m instanceof GlobalBeginRequest r) {
            return new GlobalBeginRequest(r.timeout(), s(r.transactionName()));
        } else if (m instanceof GlobalBeginResponse r) {
            return new GlobalBeginResponse(r.resultCode(), s(r.msg()), ex(r.exceptionCode()), s(r.xid()),
                    s(r.extraData()));
        } else if (m instanceof GlobalEndRequest r) {
            return new GlobalEndRequest(r.kind(), s(r.xid()), s(r.extraData()));
        } else if (m instanceof GlobalReportRequest r) {
            return new GlobalReportRequest(s(r.xid()), s(r.extraData()), gs(r.globalStatus()));
        } else if (m instanceof GlobalEndResponse r) {
            return new GlobalEndResponse(r.kind(), r.resultCode(), s(r.msg()), ex(r.exceptionCode()),
                    gs(r.globalStatus()));
        } else if (m instanceof BranchRegisterRequest r) {
            return new BranchRegisterRequest(s(r.xid()), bt(r.branchType()), s(r.resourceId()), s(r.lockKey()),
                    s(r.applicationData()));
        } else if (m instanceof GlobalLockQueryRequest r) {
            return new GlobalLockQueryRequest(s(r.xid()), bt(r.branchType()), s(r.resourceId()), s(r.lockKey()),
                    s(r.applicationData()));
        } else if (m instanceof BranchRegisterResponse r) {
            return new BranchRegisterResponse(r.resultCode(), s(r.msg()), ex(r.exceptionCode()), r.branchId());
        } else if (m instanceof BranchReportRequest r) {
            return new BranchReportRequest(s(r.xid()), r.branchId(), r.status(), s(r.resourceId()),
                    s(r.applicationData()), bt(r.branchType()));
        } else if (m instanceof BranchReportResponse r) {
            return new BranchReportResponse(r.resultCode(), s(r.msg()), ex(r.exceptionCode()));
        } else if (m instanceof GlobalLockQueryResponse r) {
            return new GlobalLockQueryResponse(r.resultCode(), s(r.msg()), ex(r.exceptionCode()), r.lockable());
        } else if (m instanceof BranchEndRequest r) {
            return new BranchEndRequest(r.commit(), s(r.xid()), r.branchId(), bt(r.branchType()), s(r.resourceId()),
                    s(r.applicationData()));
        } else if (m instanceof BranchEndResponse r) {
            return new BranchEndResponse(r.commit(), r.resultCode(), s(r.msg()), ex(r.exceptionCode()), s(r.xid()),
                    r.branchId(), r.branchStatus());
        } else if (m instanceof UndoLogDeleteRequest r) {
            return new UndoLogDeleteRequest(bt(r.branchType()), s(r.resourceId()), r.saveDays());
        } else if (m instanceof MergedWarpMessage r) {
            return new MergedWarpMessage(r.msgs().stream().map(q -> (Request) expected(q)).toList(), r.msgIds());
        } else if (m instanceof MergeResultMessage r) {
            return new MergeResultMessage(r.msgs().stream().map(q -> (Response) expected(q)).toList());
        } else if (m instanceof BatchResultMessage r) {
            return new BatchResultMessage(r.results().stream().map(q -> (Response) expected(q)).toList(), r.msgIds());
        }
        throw new IllegalArgumentException(String.valueOf(m));
    }

    /**
     * False if the reference encoder itself cannot produce this message: branch-end responses with a
     * status the proto enum has no number for (11, 12, 14) — the reference decodes them, but cannot
     * encode them.
     */
    static boolean referenceCanEncode(Message m) {
        if (m instanceof BranchEndResponse r) {
            return r.branchStatus() != BranchStatus.PhaseTwo_CommitFailed_XAER_NOTA_Retryable
                    && r.branchStatus() != BranchStatus.PhaseTwo_RollbackFailed_XAER_NOTA_Retryable
                    && r.branchStatus() != BranchStatus.STOP_RETRY;
        }
        List<? extends Message> children = m instanceof MergedWarpMessage r ? r.msgs()
                : m instanceof MergeResultMessage r ? r.msgs()
                : m instanceof BatchResultMessage r ? r.results()
                : List.of();
        return children.stream().allMatch(WireExpectations::referenceCanEncode);
    }

    private static String s(String v) {
        return v == null ? "" : v;
    }

    private static ResultCode registrationResult(ResultCode code, boolean identified) {
        return code != null ? code : identified ? ResultCode.Success : ResultCode.Failed;
    }

    private static TransactionExceptionCode ex(TransactionExceptionCode c) {
        if (c == null) {
            return TransactionExceptionCode.Unknown;
        }
        return switch (c) {
            case BeginFailed, NotRaftLeader, TransactionTimeout, CommitHeuristic, Broken -> TransactionExceptionCode.Unknown;
            case LockKeyConflictFailFast -> TransactionExceptionCode.LockKeyConflict;
            default -> c;
        };
    }

    private static GlobalStatus gs(GlobalStatus g) {
        return switch (g) {
            case CommitRetryTimeout -> GlobalStatus.CommitFailed;
            case RollbackRetryTimeout -> GlobalStatus.RollbackFailed;
            default -> g;
        };
    }

    private static BranchType bt(BranchType t) {
        return t == null ? BranchType.AT : t;
    }
}
