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
import java.util.List;
import org.apache.seata.core.protocol.AbstractIdentifyRequest;
import org.apache.seata.core.protocol.AbstractIdentifyResponse;
import org.apache.seata.core.protocol.AbstractMessage;
import org.apache.seata.core.protocol.AbstractResultMessage;
import org.apache.seata.core.protocol.transaction.AbstractBranchEndRequest;
import org.apache.seata.core.protocol.transaction.AbstractBranchEndResponse;
import org.apache.seata.core.protocol.transaction.AbstractGlobalEndRequest;
import org.apache.seata.core.protocol.transaction.AbstractGlobalEndResponse;
import org.apache.seata.core.protocol.transaction.AbstractTransactionResponse;

/**
 * Test-only: maps our records to seata-all 2.5.0's message objects and back, field by field, so that
 * the real seata-serializer-protobuf can judge our codec. Enums map by wire code, except
 * TransactionExceptionCode which maps by ordinal (2.5 renamed FailedLockGlobalTranscation).
 */
final class SeataModelBridge {

    private SeataModelBridge() {
    }

    static AbstractMessage toSeata(Message m) {
        if (m instanceof RegisterTMRequest r) {
            var s = new org.apache.seata.core.protocol.RegisterTMRequest();
            identify(s, r.version(), r.applicationId(), r.transactionServiceGroup(), r.extraData());
            return s;
        } else if (m instanceof RegisterRMRequest r) {
            var s = new org.apache.seata.core.protocol.RegisterRMRequest();
            identify(s, r.version(), r.applicationId(), r.transactionServiceGroup(), r.extraData());
            s.setResourceIds(r.resourceIds());
            return s;
        } else if (m instanceof RegisterTMResponse r) {
            var s = new org.apache.seata.core.protocol.RegisterTMResponse();
            identified(s, r.identified(), r.version(), r.extraData(), r.resultCode(), r.msg());
            return s;
        } else if (m instanceof RegisterRMResponse r) {
            var s = new org.apache.seata.core.protocol.RegisterRMResponse();
            identified(s, r.identified(), r.version(), r.extraData(), r.resultCode(), r.msg());
            return s;
        } else if (m instanceof GlobalBeginRequest r) {
            var s = new org.apache.seata.core.protocol.transaction.GlobalBeginRequest();
            s.setTimeout(r.timeout());
            s.setTransactionName(r.transactionName());
            return s;
        } else if (m instanceof GlobalBeginResponse r) {
            var s = new org.apache.seata.core.protocol.transaction.GlobalBeginResponse();
            txResult(s, r.resultCode(), r.msg(), r.exceptionCode());
            s.setXid(r.xid());
            s.setExtraData(r.extraData());
            return s;
        } else if (m instanceof GlobalEndRequest r) {
            AbstractGlobalEndRequest s = switch (r.kind()) {
                case COMMIT -> new org.apache.seata.core.protocol.transaction.GlobalCommitRequest();
                case ROLLBACK -> new org.apache.seata.core.protocol.transaction.GlobalRollbackRequest();
                case STATUS -> new org.apache.seata.core.protocol.transaction.GlobalStatusRequest();
                case REPORT -> throw new IllegalArgumentException("REPORT");
            };
            s.setXid(r.xid());
            s.setExtraData(r.extraData());
            return s;
        } else if (m instanceof GlobalReportRequest r) {
            var s = new org.apache.seata.core.protocol.transaction.GlobalReportRequest();
            s.setXid(r.xid());
            s.setExtraData(r.extraData());
            s.setGlobalStatus(globalStatus(r.globalStatus()));
            return s;
        } else if (m instanceof GlobalEndResponse r) {
            AbstractGlobalEndResponse s = switch (r.kind()) {
                case COMMIT -> new org.apache.seata.core.protocol.transaction.GlobalCommitResponse();
                case ROLLBACK -> new org.apache.seata.core.protocol.transaction.GlobalRollbackResponse();
                case STATUS -> new org.apache.seata.core.protocol.transaction.GlobalStatusResponse();
                case REPORT -> new org.apache.seata.core.protocol.transaction.GlobalReportResponse();
            };
            txResult(s, r.resultCode(), r.msg(), r.exceptionCode());
            s.setGlobalStatus(globalStatus(r.globalStatus()));
            return s;
        } else if (m instanceof BranchRegisterRequest r) {
            var s = new org.apache.seata.core.protocol.transaction.BranchRegisterRequest();
            s.setXid(r.xid());
            s.setBranchType(branchType(r.branchType()));
            s.setResourceId(r.resourceId());
            s.setLockKey(r.lockKey());
            s.setApplicationData(r.applicationData());
            return s;
        } else if (m instanceof GlobalLockQueryRequest r) {
            var s = new org.apache.seata.core.protocol.transaction.GlobalLockQueryRequest();
            s.setXid(r.xid());
            s.setBranchType(branchType(r.branchType()));
            s.setResourceId(r.resourceId());
            s.setLockKey(r.lockKey());
            s.setApplicationData(r.applicationData());
            return s;
        } else if (m instanceof BranchRegisterResponse r) {
            var s = new org.apache.seata.core.protocol.transaction.BranchRegisterResponse();
            txResult(s, r.resultCode(), r.msg(), r.exceptionCode());
            s.setBranchId(r.branchId());
            return s;
        } else if (m instanceof BranchReportRequest r) {
            var s = new org.apache.seata.core.protocol.transaction.BranchReportRequest();
            s.setXid(r.xid());
            s.setBranchId(r.branchId());
            s.setStatus(branchStatus(r.status()));
            s.setResourceId(r.resourceId());
            s.setApplicationData(r.applicationData());
            s.setBranchType(branchType(r.branchType()));
            return s;
        } else if (m instanceof BranchReportResponse r) {
            var s = new org.apache.seata.core.protocol.transaction.BranchReportResponse();
            txResult(s, r.resultCode(), r.msg(), r.exceptionCode());
            return s;
        } else if (m instanceof GlobalLockQueryResponse r) {
            var s = new org.apache.seata.core.protocol.transaction.GlobalLockQueryResponse();
            txResult(s, r.resultCode(), r.msg(), r.exceptionCode());
            s.setLockable(r.lockable());
            return s;
        } else if (m instanceof BranchEndRequest r) {
            AbstractBranchEndRequest s = r.commit()
                    ? new org.apache.seata.core.protocol.transaction.BranchCommitRequest()
                    : new org.apache.seata.core.protocol.transaction.BranchRollbackRequest();
            s.setXid(r.xid());
            s.setBranchId(r.branchId());
            s.setBranchType(branchType(r.branchType()));
            s.setResourceId(r.resourceId());
            s.setApplicationData(r.applicationData());
            return s;
        } else if (m instanceof BranchEndResponse r) {
            AbstractBranchEndResponse s = r.commit()
                    ? new org.apache.seata.core.protocol.transaction.BranchCommitResponse()
                    : new org.apache.seata.core.protocol.transaction.BranchRollbackResponse();
            txResult(s, r.resultCode(), r.msg(), r.exceptionCode());
            s.setXid(r.xid());
            s.setBranchId(r.branchId());
            s.setBranchStatus(branchStatus(r.branchStatus()));
            return s;
        } else if (m instanceof UndoLogDeleteRequest r) {
            var s = new org.apache.seata.core.protocol.transaction.UndoLogDeleteRequest();
            s.setBranchType(branchType(r.branchType()));
            s.setResourceId(r.resourceId());
            s.setSaveDays(r.saveDays());
            return s;
        } else if (m instanceof MergedWarpMessage r) {
            var s = new org.apache.seata.core.protocol.MergedWarpMessage();
            for (Request q : r.msgs()) {
                s.msgs.add(toSeata(q));
            }
            s.msgIds.addAll(r.msgIds());
            return s;
        } else if (m instanceof MergeResultMessage r) {
            var s = new org.apache.seata.core.protocol.MergeResultMessage();
            AbstractResultMessage[] msgs = new AbstractResultMessage[r.msgs().size()];
            for (int i = 0; i < msgs.length; i++) {
                msgs[i] = (AbstractResultMessage) toSeata(r.msgs().get(i));
            }
            s.setMsgs(msgs);
            return s;
        } else if (m instanceof BatchResultMessage r) {
            var s = new org.apache.seata.core.protocol.BatchResultMessage();
            List<AbstractResultMessage> results = new ArrayList<>();
            for (Response q : r.results()) {
                results.add((AbstractResultMessage) toSeata(q));
            }
            s.setResultMessages(results);
            s.setMsgIds(new ArrayList<>(r.msgIds()));
            return s;
        }
        throw new IllegalArgumentException("no seata mapping for " + m);
    }

    static Message fromSeata(Object o) {
        if (o instanceof org.apache.seata.core.protocol.RegisterTMRequest s) {
            return new RegisterTMRequest(s.getVersion(), s.getApplicationId(), s.getTransactionServiceGroup(),
                    s.getExtraData());
        } else if (o instanceof org.apache.seata.core.protocol.RegisterRMRequest s) {
            return new RegisterRMRequest(s.getVersion(), s.getApplicationId(), s.getTransactionServiceGroup(),
                    s.getExtraData(), s.getResourceIds());
        } else if (o instanceof org.apache.seata.core.protocol.RegisterTMResponse s) {
            return new RegisterTMResponse(s.isIdentified(), s.getVersion(), s.getExtraData(),
                    resultCode(s.getResultCode()), s.getMsg());
        } else if (o instanceof org.apache.seata.core.protocol.RegisterRMResponse s) {
            return new RegisterRMResponse(s.isIdentified(), s.getVersion(), s.getExtraData(),
                    resultCode(s.getResultCode()), s.getMsg());
        } else if (o instanceof org.apache.seata.core.protocol.transaction.GlobalBeginRequest s) {
            return new GlobalBeginRequest(s.getTimeout(), s.getTransactionName());
        } else if (o instanceof org.apache.seata.core.protocol.transaction.GlobalBeginResponse s) {
            return new GlobalBeginResponse(resultCode(s.getResultCode()), s.getMsg(), exceptionCode(s),
                    s.getXid(), s.getExtraData());
        } else if (o instanceof org.apache.seata.core.protocol.transaction.GlobalReportRequest s) {
            return new GlobalReportRequest(s.getXid(), s.getExtraData(), globalStatus(s.getGlobalStatus()));
        } else if (o instanceof AbstractGlobalEndRequest s) {
            return new GlobalEndRequest(kind(s), s.getXid(), s.getExtraData());
        } else if (o instanceof AbstractGlobalEndResponse s) {
            return new GlobalEndResponse(kind(s), resultCode(s.getResultCode()), s.getMsg(), exceptionCode(s),
                    globalStatus(s.getGlobalStatus()));
        } else if (o instanceof org.apache.seata.core.protocol.transaction.GlobalLockQueryRequest s) {
            return new GlobalLockQueryRequest(s.getXid(), branchType(s.getBranchType()), s.getResourceId(),
                    s.getLockKey(), s.getApplicationData());
        } else if (o instanceof org.apache.seata.core.protocol.transaction.BranchRegisterRequest s) {
            return new BranchRegisterRequest(s.getXid(), branchType(s.getBranchType()), s.getResourceId(),
                    s.getLockKey(), s.getApplicationData());
        } else if (o instanceof org.apache.seata.core.protocol.transaction.BranchRegisterResponse s) {
            return new BranchRegisterResponse(resultCode(s.getResultCode()), s.getMsg(), exceptionCode(s),
                    s.getBranchId());
        } else if (o instanceof org.apache.seata.core.protocol.transaction.BranchReportRequest s) {
            return new BranchReportRequest(s.getXid(), s.getBranchId(), branchStatus(s.getStatus()),
                    s.getResourceId(), s.getApplicationData(), branchType(s.getBranchType()));
        } else if (o instanceof org.apache.seata.core.protocol.transaction.BranchReportResponse s) {
            return new BranchReportResponse(resultCode(s.getResultCode()), s.getMsg(), exceptionCode(s));
        } else if (o instanceof org.apache.seata.core.protocol.transaction.GlobalLockQueryResponse s) {
            return new GlobalLockQueryResponse(resultCode(s.getResultCode()), s.getMsg(), exceptionCode(s),
                    s.isLockable());
        } else if (o instanceof AbstractBranchEndRequest s) {
            return new BranchEndRequest(s instanceof org.apache.seata.core.protocol.transaction.BranchCommitRequest,
                    s.getXid(), s.getBranchId(), branchType(s.getBranchType()), s.getResourceId(),
                    s.getApplicationData());
        } else if (o instanceof AbstractBranchEndResponse s) {
            return new BranchEndResponse(s instanceof org.apache.seata.core.protocol.transaction.BranchCommitResponse,
                    resultCode(s.getResultCode()), s.getMsg(), exceptionCode(s), s.getXid(), s.getBranchId(),
                    branchStatus(s.getBranchStatus()));
        } else if (o instanceof org.apache.seata.core.protocol.transaction.UndoLogDeleteRequest s) {
            return new UndoLogDeleteRequest(branchType(s.getBranchType()), s.getResourceId(), s.getSaveDays());
        } else if (o instanceof org.apache.seata.core.protocol.MergedWarpMessage s) {
            List<Request> msgs = new ArrayList<>();
            for (AbstractMessage q : s.msgs) {
                msgs.add((Request) fromSeata(q));
            }
            return new MergedWarpMessage(msgs, s.msgIds);
        } else if (o instanceof org.apache.seata.core.protocol.MergeResultMessage s) {
            List<Response> msgs = new ArrayList<>();
            for (AbstractResultMessage q : s.getMsgs()) {
                msgs.add((Response) fromSeata(q));
            }
            return new MergeResultMessage(msgs);
        } else if (o instanceof org.apache.seata.core.protocol.BatchResultMessage s) {
            List<Response> msgs = new ArrayList<>();
            for (AbstractResultMessage q : s.getResultMessages()) {
                msgs.add((Response) fromSeata(q));
            }
            return new BatchResultMessage(msgs, s.getMsgIds());
        }
        throw new IllegalArgumentException("no record for " + o);
    }

    private static void identify(AbstractIdentifyRequest s, String version, String applicationId, String group,
            String extraData) {
        s.setVersion(version);
        s.setApplicationId(applicationId);
        s.setTransactionServiceGroup(group);
        s.setExtraData(extraData);
    }

    private static void identified(AbstractIdentifyResponse s, boolean identified, String version, String extraData,
            ResultCode resultCode, String msg) {
        s.setIdentified(identified);
        s.setVersion(version);
        s.setExtraData(extraData);
        s.setResultCode(resultCode(resultCode));
        s.setMsg(msg);
    }

    private static void txResult(AbstractTransactionResponse s, ResultCode resultCode, String msg,
            TransactionExceptionCode exceptionCode) {
        s.setResultCode(resultCode(resultCode));
        s.setMsg(msg);
        if (exceptionCode != null) {
            s.setTransactionExceptionCode(
                    org.apache.seata.core.exception.TransactionExceptionCode.values()[exceptionCode.ordinal()]);
        }
    }

    private static GlobalEndRequest.Kind kind(Object s) {
        String name = s.getClass().getSimpleName();
        if (name.startsWith("GlobalCommit")) {
            return GlobalEndRequest.Kind.COMMIT;
        } else if (name.startsWith("GlobalRollback")) {
            return GlobalEndRequest.Kind.ROLLBACK;
        } else if (name.startsWith("GlobalStatus")) {
            return GlobalEndRequest.Kind.STATUS;
        } else if (name.startsWith("GlobalReport")) {
            return GlobalEndRequest.Kind.REPORT;
        }
        throw new IllegalArgumentException(name);
    }

    private static TransactionExceptionCode exceptionCode(AbstractTransactionResponse s) {
        var code = s.getTransactionExceptionCode();
        return code == null ? null : TransactionExceptionCode.of(code.ordinal());
    }

    private static org.apache.seata.core.protocol.ResultCode resultCode(ResultCode c) {
        return c == null ? null : org.apache.seata.core.protocol.ResultCode.values()[c.ordinal()];
    }

    private static ResultCode resultCode(org.apache.seata.core.protocol.ResultCode c) {
        return c == null ? null : ResultCode.of(c.ordinal());
    }

    private static org.apache.seata.core.model.GlobalStatus globalStatus(GlobalStatus s) {
        return s == null ? null : org.apache.seata.core.model.GlobalStatus.get(s.code());
    }

    private static GlobalStatus globalStatus(org.apache.seata.core.model.GlobalStatus s) {
        return s == null ? null : GlobalStatus.of(s.getCode());
    }

    private static org.apache.seata.core.model.BranchStatus branchStatus(BranchStatus s) {
        return s == null ? null : org.apache.seata.core.model.BranchStatus.get(s.code());
    }

    private static BranchStatus branchStatus(org.apache.seata.core.model.BranchStatus s) {
        return s == null ? null : BranchStatus.of(s.getCode());
    }

    private static org.apache.seata.core.model.BranchType branchType(BranchType t) {
        return t == null ? null : org.apache.seata.core.model.BranchType.get(t.code());
    }

    private static BranchType branchType(org.apache.seata.core.model.BranchType t) {
        return t == null ? null : BranchType.of(t.ordinal());
    }
}
