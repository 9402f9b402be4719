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
import java.util.Arrays;
import java.util.List;
import org.apache.seata.core.protocol.AbstractMessage;
import org.apache.seata.core.protocol.transaction.AbstractBranchEndRequest;
import org.apache.seata.core.protocol.transaction.AbstractBranchEndResponse;
import org.apache.seata.core.protocol.transaction.AbstractGlobalEndRequest;
import org.apache.seata.core.protocol.transaction.AbstractGlobalEndResponse;
import org.apache.seata.core.protocol.transaction.AbstractTransactionResponse;

/**
 * seata-all 2.5.0 message objects → our records, field by field. Enums by wire code, not name
 * (Seata renamed FailedLockGlobalTranscation to ...Transaction in 2.3).
 */
final class FromSeata {
    private FromSeata() {
    }

    static Message message(AbstractMessage m) {
        if (m instanceof org.apache.seata.core.protocol.MergedWarpMessage s) {
            List<Request> msgs = s.msgs.stream().map(x -> (Request) message(x)).toList();
            return new MergedWarpMessage(msgs, s.msgIds == null ? List.of() : s.msgIds);
        }
        if (m instanceof org.apache.seata.core.protocol.MergeResultMessage s) {
            return new MergeResultMessage(Arrays.stream(s.getMsgs()).map(x -> (Response) message(x)).toList());
        }
        if (m instanceof org.apache.seata.core.protocol.BatchResultMessage s) {
            return new BatchResultMessage(s.getResultMessages().stream().map(x -> (Response) message(x)).toList(),
                    s.getMsgIds());
        }
        if (m instanceof org.apache.seata.core.protocol.RegisterTMRequest s) {
            return new RegisterTMRequest(s.getVersion(), s.getApplicationId(), s.getTransactionServiceGroup(),
                    s.getExtraData());
        }
        if (m instanceof org.apache.seata.core.protocol.RegisterRMRequest s) {
            return new RegisterRMRequest(s.getVersion(), s.getApplicationId(), s.getTransactionServiceGroup(),
                    s.getExtraData(), s.getResourceIds());
        }
        if (m instanceof org.apache.seata.core.protocol.RegisterTMResponse s) {
            return new RegisterTMResponse(s.isIdentified(), s.getVersion(), s.getExtraData(), ours(s.getResultCode()),
                    s.getMsg());
        }
        if (m instanceof org.apache.seata.core.protocol.RegisterRMResponse s) {
            return new RegisterRMResponse(s.isIdentified(), s.getVersion(), s.getExtraData(), ours(s.getResultCode()),
                    s.getMsg());
        }
        if (m instanceof org.apache.seata.core.protocol.transaction.GlobalBeginRequest s) {
            return new GlobalBeginRequest(s.getTimeout(), s.getTransactionName());
        }
        if (m instanceof org.apache.seata.core.protocol.transaction.GlobalReportRequest s) {
            return new GlobalReportRequest(s.getXid(), s.getExtraData(),
                    s.getGlobalStatus() == null ? null : GlobalStatus.of(s.getGlobalStatus().getCode()));
        }
        if (m instanceof AbstractGlobalEndRequest s) {
            Kind kind = switch (s.getTypeCode()) {
                case 7 -> Kind.COMMIT;
                case 9 -> Kind.ROLLBACK;
                case 15 -> Kind.STATUS;
                default -> throw new IllegalArgumentException("type " + s.getTypeCode());
            };
            return new GlobalEndRequest(kind, s.getXid(), s.getExtraData());
        }
        if (m instanceof org.apache.seata.core.protocol.transaction.GlobalLockQueryRequest s) {
            return new GlobalLockQueryRequest(s.getXid(), ours(s.getBranchType()), s.getResourceId(), s.getLockKey(),
                    s.getApplicationData());
        }
        if (m instanceof org.apache.seata.core.protocol.transaction.BranchRegisterRequest s) {
            return new BranchRegisterRequest(s.getXid(), ours(s.getBranchType()), s.getResourceId(), s.getLockKey(),
                    s.getApplicationData());
        }
        if (m instanceof org.apache.seata.core.protocol.transaction.BranchReportRequest s) {
            return new BranchReportRequest(s.getXid(), s.getBranchId(), ours(s.getStatus()), s.getResourceId(),
                    s.getApplicationData(), ours(s.getBranchType()));
        }
        if (m instanceof AbstractBranchEndRequest s) {
            return new BranchEndRequest(s.getTypeCode() == 3, s.getXid(), s.getBranchId(), ours(s.getBranchType()),
                    s.getResourceId(), s.getApplicationData());
        }
        if (m instanceof org.apache.seata.core.protocol.transaction.UndoLogDeleteRequest s) {
            return new UndoLogDeleteRequest(ours(s.getBranchType()), s.getResourceId(), s.getSaveDays());
        }
        if (m instanceof AbstractTransactionResponse s) {
            return transactionResponse(s);
        }
        throw new IllegalArgumentException("unmapped seata message " + m.getClass());
    }

    private static Message transactionResponse(AbstractTransactionResponse s) {
        ResultCode code = ours(s.getResultCode());
        String msg = s.getMsg();
        TransactionExceptionCode ex = s.getTransactionExceptionCode() == null ? null
                : TransactionExceptionCode.of(s.getTransactionExceptionCode().ordinal());
        if (s instanceof org.apache.seata.core.protocol.transaction.GlobalBeginResponse b) {
            return new GlobalBeginResponse(code, msg, ex, b.getXid(), b.getExtraData());
        }
        if (s instanceof AbstractGlobalEndResponse g) {
            Kind kind = switch (g.getTypeCode()) {
                case 8 -> Kind.COMMIT;
                case 10 -> Kind.ROLLBACK;
                case 16 -> Kind.STATUS;
                case 18 -> Kind.REPORT;
                default -> throw new IllegalArgumentException("type " + g.getTypeCode());
            };
            return new GlobalEndResponse(kind, code, msg, ex,
                    g.getGlobalStatus() == null ? null : GlobalStatus.of(g.getGlobalStatus().getCode()));
        }
        if (s instanceof org.apache.seata.core.protocol.transaction.BranchRegisterResponse b) {
            return new BranchRegisterResponse(code, msg, ex, b.getBranchId());
        }
        if (s instanceof org.apache.seata.core.protocol.transaction.BranchReportResponse) {
            return new BranchReportResponse(code, msg, ex);
        }
        if (s instanceof org.apache.seata.core.protocol.transaction.GlobalLockQueryResponse l) {
            return new GlobalLockQueryResponse(code, msg, ex, l.isLockable());
        }
        if (s instanceof AbstractBranchEndResponse b) {
            return new BranchEndResponse(b.getTypeCode() == 4, code, msg, ex, b.getXid(), b.getBranchId(),
                    ours(b.getBranchStatus()));
        }
        throw new IllegalArgumentException("unmapped seata response " + s.getClass());
    }

    private static ResultCode ours(org.apache.seata.core.protocol.ResultCode c) {
        return c == null ? null : ResultCode.of(c.ordinal());
    }

    private static BranchType ours(org.apache.seata.core.model.BranchType t) {
        return t == null ? null : BranchType.of(t.ordinal());
    }

    private static BranchStatus ours(org.apache.seata.core.model.BranchStatus s) {
        return s == null ? null : BranchStatus.of(s.getCode());
    }
}
