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
import io.tessera.codec.message.TransactionResponse;
import io.tessera.codec.message.UndoLogDeleteRequest;
import java.util.ArrayList;
import org.apache.seata.core.protocol.AbstractMessage;
import org.apache.seata.core.protocol.AbstractResultMessage;
import org.apache.seata.core.protocol.transaction.AbstractBranchEndRequest;
import org.apache.seata.core.protocol.transaction.AbstractBranchEndResponse;
import org.apache.seata.core.protocol.transaction.AbstractGlobalEndRequest;
import org.apache.seata.core.protocol.transaction.AbstractGlobalEndResponse;
import org.apache.seata.core.protocol.transaction.AbstractTransactionResponse;

/** Our records → seata-all 2.5.0 message objects, field by field; enums by wire code. */
final class ToSeata {
    private ToSeata() {
    }

    static AbstractMessage message(Message message) {
        if (message instanceof Request r) {
            return requestToSeata(r);
        }
        if (message instanceof Response r) {
            return responseToSeata(r);
        }
        if (message instanceof MergedWarpMessage m) {
            var s = new org.apache.seata.core.protocol.MergedWarpMessage();
            s.msgs = new ArrayList<>(m.msgs().stream().map(ToSeata::message).toList());
            s.msgIds = new ArrayList<>(m.msgIds());
            return s;
        }
        if (message instanceof MergeResultMessage m) {
            var s = new org.apache.seata.core.protocol.MergeResultMessage();
            s.setMsgs(m.msgs().stream().map(r -> (AbstractResultMessage) message(r)).toArray(AbstractResultMessage[]::new));
            return s;
        }
        if (message instanceof BatchResultMessage m) {
            var s = new org.apache.seata.core.protocol.BatchResultMessage();
            s.setResultMessages(new ArrayList<>(m.results().stream().map(r -> (AbstractResultMessage) message(r)).toList()));
            s.setMsgIds(new ArrayList<>(m.msgIds()));
            return s;
        }
        throw new IllegalArgumentException("no seata body for " + message);
    }

    private static AbstractMessage requestToSeata(Request request) {
        if (request instanceof RegisterTMRequest r) {
            var s = new org.apache.seata.core.protocol.RegisterTMRequest();
            s.setVersion(r.version());
            s.setApplicationId(r.applicationId());
            s.setTransactionServiceGroup(r.transactionServiceGroup());
            s.setExtraData(r.extraData());
            return s;
        }
        if (request instanceof RegisterRMRequest r) {
            var s = new org.apache.seata.core.protocol.RegisterRMRequest();
            s.setVersion(r.version());
            s.setApplicationId(r.applicationId());
            s.setTransactionServiceGroup(r.transactionServiceGroup());
            s.setExtraData(r.extraData());
            s.setResourceIds(r.resourceIds());
            return s;
        }
        if (request instanceof GlobalBeginRequest r) {
            var s = new org.apache.seata.core.protocol.transaction.GlobalBeginRequest();
            s.setTimeout(r.timeout());
            s.setTransactionName(r.transactionName());
            return s;
        }
        if (request instanceof GlobalEndRequest r) {
            AbstractGlobalEndRequest s = switch (r.kind()) {
                case COMMIT -> new org.apache.seata.core.protocol.transaction.GlobalCommitRequest();
                case ROLLBACK -> new org.apache.seata.core.protocol.transaction.GlobalRollbackRequest();
                case STATUS -> new org.apache.seata.core.protocol.transaction.GlobalStatusRequest();
                case REPORT -> throw new IllegalArgumentException("REPORT");
            };
            s.setXid(r.xid());
            s.setExtraData(r.extraData());
            return s;
        }
        if (request instanceof GlobalReportRequest r) {
            var s = new org.apache.seata.core.protocol.transaction.GlobalReportRequest();
            s.setXid(r.xid());
            s.setExtraData(r.extraData());
            s.setGlobalStatus(r.globalStatus() == null ? null : globalStatus(r.globalStatus()));
            return s;
        }
        if (request instanceof BranchRegisterRequest r) {
            return branchRegister(new org.apache.seata.core.protocol.transaction.BranchRegisterRequest(), r.xid(),
                    r.branchType(), r.resourceId(), r.lockKey(), r.applicationData());
        }
        if (request instanceof GlobalLockQueryRequest r) {
            return branchRegister(new org.apache.seata.core.protocol.transaction.GlobalLockQueryRequest(), r.xid(),
                    r.branchType(), r.resourceId(), r.lockKey(), r.applicationData());
        }
        if (request instanceof BranchReportRequest r) {
            var s = new org.apache.seata.core.protocol.transaction.BranchReportRequest();
            s.setXid(r.xid());
            s.setBranchId(r.branchId());
            s.setStatus(branchStatus(r.status()));
            s.setResourceId(r.resourceId());
            s.setApplicationData(r.applicationData());
            s.setBranchType(branchType(r.branchType()));
            return s;
        }
        if (request instanceof BranchEndRequest r) {
            AbstractBranchEndRequest s = r.commit() ? new org.apache.seata.core.protocol.transaction.BranchCommitRequest()
                    : new org.apache.seata.core.protocol.transaction.BranchRollbackRequest();
            s.setXid(r.xid());
            s.setBranchId(r.branchId());
            s.setBranchType(branchType(r.branchType()));
            s.setResourceId(r.resourceId());
            s.setApplicationData(r.applicationData());
            return s;
        }
        if (request instanceof UndoLogDeleteRequest r) {
            var s = new org.apache.seata.core.protocol.transaction.UndoLogDeleteRequest();
            s.setBranchType(branchType(r.branchType()));
            s.setResourceId(r.resourceId());
            s.setSaveDays(r.saveDays());
            return s;
        }
        throw new IllegalArgumentException("unmapped request " + request);
    }

    private static AbstractMessage branchRegister(org.apache.seata.core.protocol.transaction.BranchRegisterRequest s,
            String xid, BranchType type, String resourceId, String lockKey, String applicationData) {
        s.setXid(xid);
        s.setBranchType(branchType(type));
        s.setResourceId(resourceId);
        s.setLockKey(lockKey);
        s.setApplicationData(applicationData);
        return s;
    }

    private static AbstractMessage responseToSeata(Response response) {
        if (response instanceof RegisterTMResponse r) {
            var s = new org.apache.seata.core.protocol.RegisterTMResponse();
            identify(s, r.identified(), r.version(), r.extraData(), r.resultCode(), r.msg());
            return s;
        }
        if (response instanceof RegisterRMResponse r) {
            var s = new org.apache.seata.core.protocol.RegisterRMResponse();
            identify(s, r.identified(), r.version(), r.extraData(), r.resultCode(), r.msg());
            return s;
        }
        TransactionResponse t = (TransactionResponse) response;
        AbstractTransactionResponse s;
        if (t instanceof GlobalBeginResponse r) {
            var b = new org.apache.seata.core.protocol.transaction.GlobalBeginResponse();
            b.setXid(r.xid());
            b.setExtraData(r.extraData());
            s = b;
        } else if (t instanceof GlobalEndResponse r) {
            AbstractGlobalEndResponse g = switch (r.kind()) {
                case COMMIT -> new org.apache.seata.core.protocol.transaction.GlobalCommitResponse();
                case ROLLBACK -> new org.apache.seata.core.protocol.transaction.GlobalRollbackResponse();
                case STATUS -> new org.apache.seata.core.protocol.transaction.GlobalStatusResponse();
                case REPORT -> new org.apache.seata.core.protocol.transaction.GlobalReportResponse();
            };
            g.setGlobalStatus(r.globalStatus() == null ? null : globalStatus(r.globalStatus()));
            s = g;
        } else if (t instanceof BranchRegisterResponse r) {
            var b = new org.apache.seata.core.protocol.transaction.BranchRegisterResponse();
            b.setBranchId(r.branchId());
            s = b;
        } else if (t instanceof BranchReportResponse) {
            s = new org.apache.seata.core.protocol.transaction.BranchReportResponse();
        } else if (t instanceof GlobalLockQueryResponse r) {
            var b = new org.apache.seata.core.protocol.transaction.GlobalLockQueryResponse();
            b.setLockable(r.lockable());
            s = b;
        } else if (t instanceof BranchEndResponse r) {
            AbstractBranchEndResponse b = r.commit() ? new org.apache.seata.core.protocol.transaction.BranchCommitResponse()
                    : new org.apache.seata.core.protocol.transaction.BranchRollbackResponse();
            b.setXid(r.xid());
            b.setBranchId(r.branchId());
            b.setBranchStatus(r.branchStatus() == null ? null : branchStatus(r.branchStatus()));
            s = b;
        } else {
            throw new IllegalArgumentException("unmapped response " + t);
        }
        s.setResultCode(r(t.resultCode()));
        s.setMsg(t.msg());
        s.setTransactionExceptionCode(t.exceptionCode() == null ? null
                : org.apache.seata.core.exception.TransactionExceptionCode.get(t.exceptionCode().code()));
        return s;
    }

    private static void identify(org.apache.seata.core.protocol.AbstractIdentifyResponse s, boolean identified,
            String version, String extraData, ResultCode code, String msg) {
        s.setIdentified(identified);
        s.setVersion(version);
        s.setExtraData(extraData);
        s.setResultCode(code == null ? null : r(code));
        s.setMsg(msg);
    }

    private static org.apache.seata.core.protocol.ResultCode r(ResultCode c) {
        return c == null ? null : org.apache.seata.core.protocol.ResultCode.get(c.code());
    }

    private static org.apache.seata.core.model.BranchType branchType(BranchType t) {
        return t == null ? null : org.apache.seata.core.model.BranchType.get(t.code());
    }

    private static org.apache.seata.core.model.BranchStatus branchStatus(BranchStatus s) {
        return s == null ? null : org.apache.seata.core.model.BranchStatus.get(s.code());
    }

    private static org.apache.seata.core.model.GlobalStatus globalStatus(GlobalStatus s) {
        return org.apache.seata.core.model.GlobalStatus.get(s.code());
    }
}
